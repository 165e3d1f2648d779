"""Compact JSON for the bulky parts of a save: events, orders and state snapshots.

A turn of the default scenario produces about 150 events, most of them track and budget
changes; written as flat objects they take 30 KB.  Three rules make them small while
keeping every field exact and the file readable with a JSON viewer:

* every string an event or a snapshot holds (ids, causes, phases, texts) is written once in
  the save's ``symbols`` table and referred to by its index;
* events are grouped by the phase and cause they share: ``[phase, cause, [event, ...]]``,
  each event being ``[kind, field, ...]`` in the order its class declares its fields;
* a change with ``before`` and ``after`` (a track, a budget, a unit's strength) leaves out
  ``before`` when it equals the ``after`` of the previous change to the same thing in the
  same turn, which is the case for two changes in three; the reader fills it in.

Orders are kept as their text (``act sanctions russia``), grouped by actor in the order
given; orders and the bots' reasons recur from turn to turn, so their texts are symbols too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from engine.core import Event, GameState, Order, parse_order
from engine.core.events import EVENT_TYPES
from engine.core.state import STATE_FORMAT


class CodecError(ValueError):
    """A compact record that cannot be read back: a bad symbol, kind or shape."""


class Symbols:
    """The table of strings a save refers to by index."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names: list[str] = list(names)
        self._index: dict[str, int] = {name: i for i, name in enumerate(self.names)}

    def id(self, name: str) -> int:
        index = self._index.get(name)
        if index is None:
            index = self._index[name] = len(self.names)
            self.names.append(name)
        return index

    def name(self, index: object) -> str:
        if not isinstance(index, int) or isinstance(index, bool):
            raise CodecError(f"expected a symbol number, found {index!r}")
        if not 0 <= index < len(self.names):
            raise CodecError(f"symbol {index} is not in the table of {len(self.names)}")
        return self.names[index]


_TEXT = "str"
_TEXTS = "tuple[str, ...]"
_CHANGE = ("before", "after")

_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    kind: tuple((f.name, str(f.type)) for f in fields(cls)[3:]) for kind, cls in EVENT_TYPES.items()
}
"""Per event kind, its own fields (after turn, phase and cause) with their types."""


def _change_key(kind: str, values: Sequence[tuple[str, Any]]) -> tuple[Any, ...] | None:
    """What a before/after change is a change *of*: the kind and its other fields."""
    names = [name for name, _ in values]
    if names[-2:] != list(_CHANGE):
        return None
    return (kind, *(value for name, value in values[:-2]))


def encode_events(events: Iterable[Event], symbols: Symbols) -> list[Any]:
    """One turn's events (or a control step's) in the compact form described above."""
    groups: list[Any] = []
    current: tuple[str, str] | None = None
    last_after: dict[tuple[Any, ...], Any] = {}
    for event in events:
        if (event.phase, event.cause) != current:
            current = (event.phase, event.cause)
            groups.append([symbols.id(event.phase), symbols.id(event.cause), []])
        values = [(name, getattr(event, name)) for name, _ in _FIELDS[event.kind]]
        encoded: list[Any] = [symbols.id(event.kind)]
        key = _change_key(event.kind, values)
        for (name, value), (_, kind) in zip(values, _FIELDS[event.kind], strict=True):
            if name == "before" and key is not None and last_after.get(key, _MISSING) == value:
                continue
            encoded.append(_encode_value(value, kind, symbols))
        if key is not None:
            last_after[key] = values[-1][1]
        groups[-1][2].append(encoded)
    return groups


_MISSING = object()


def _encode_value(value: Any, kind: str, symbols: Symbols) -> Any:
    if kind == _TEXT:
        return symbols.id(value)
    if kind == _TEXTS:
        return [symbols.id(v) for v in value]
    return value


def _decode_value(value: Any, kind: str, symbols: Symbols) -> Any:
    if kind == _TEXT:
        return symbols.name(value)
    if kind == _TEXTS:
        if not isinstance(value, list):
            raise CodecError(f"expected a list of symbols, found {value!r}")
        return tuple(symbols.name(v) for v in value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise CodecError(f"expected true or false, found {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CodecError(f"expected a number, found {value!r}")
    return int(value) if kind == "int" else value


def decode_events(groups: object, turn: int, symbols: Symbols) -> tuple[Event, ...]:
    """Inverse of :func:`encode_events`; ``turn`` is the turn the events happened in."""
    if not isinstance(groups, list):
        raise CodecError("events must be a list of groups")
    events: list[Event] = []
    last_after: dict[tuple[Any, ...], Any] = {}
    for group in groups:
        if not isinstance(group, list) or len(group) != 3 or not isinstance(group[2], list):
            raise CodecError(f"an event group must be [phase, cause, [events]], not {group!r}")
        phase, cause = symbols.name(group[0]), symbols.name(group[1])
        for item in group[2]:
            events.append(_decode_event(item, turn, phase, cause, symbols, last_after))
    return tuple(events)


def _decode_event(
    item: object,
    turn: int,
    phase: str,
    cause: str,
    symbols: Symbols,
    last_after: dict[tuple[Any, ...], Any],
) -> Event:
    if not isinstance(item, list) or not item:
        raise CodecError(f"an event must be [kind, field, ...], not {item!r}")
    kind = symbols.name(item[0])
    declared = _FIELDS.get(kind)
    if declared is None:
        raise CodecError(f"unknown event kind '{kind}'")
    raw = list(item[1:])
    changes = [name for name, _ in declared][-2:] == list(_CHANGE)
    elided = changes and len(raw) == len(declared) - 1
    if len(raw) != len(declared) and not elided:
        raise CodecError(f"a '{kind}' event has {len(declared)} fields, not {len(raw)}")
    if elided:
        raw.insert(len(declared) - 2, _MISSING)
    values: list[tuple[str, Any]] = []
    for (name, type_name), value in zip(declared, raw, strict=True):
        values.append(
            (name, value if value is _MISSING else _decode_value(value, type_name, symbols))
        )
    key = _change_key(kind, values)
    if elided:
        assert key is not None
        if key not in last_after:
            raise CodecError(f"a '{kind}' event leaves out the value before the first change")
        values[-2] = ("before", last_after[key])
    if key is not None:
        last_after[key] = values[-1][1]
    return EVENT_TYPES[kind](turn, phase, cause, *(value for _, value in values))


def encode_orders(orders: Iterable[Order], symbols: Symbols) -> list[Any]:
    """``[[actor, [order, ...]], ...]``: runs of one actor's orders in the order given, each
    order's text (``act sanctions russia``) in the symbol table, since orders recur."""
    runs: list[Any] = []
    for order in orders:
        if not runs or runs[-1][0] != symbols.id(order.actor):
            runs.append([symbols.id(order.actor), []])
        runs[-1][1].append(symbols.id(order.text()))
    return runs


def decode_orders(runs: object, symbols: Symbols) -> tuple[Order, ...]:
    """Inverse of :func:`encode_orders`; raises ``InvalidOrder`` or :class:`CodecError`."""
    if not isinstance(runs, list):
        raise CodecError("orders must be a list of [actor, [order, ...]]")
    orders: list[Order] = []
    for run in runs:
        if not isinstance(run, list) or len(run) != 2 or not isinstance(run[1], list):
            raise CodecError(f"orders must be [actor, [order, ...]], not {run!r}")
        actor = symbols.name(run[0])
        orders.extend(parse_order(symbols.name(text), actor) for text in run[1])
    return tuple(orders)


def encode_state(state: GameState, symbols: Symbols) -> dict[str, Any]:
    """A state snapshot with its strings in the symbol table (about a third of the size)."""
    data = state.to_dict()
    s = symbols.id
    data["units"] = [
        [s(u.id), s(u.unit_type), s(u.owner), s(u.area), u.strength] for u in state.units
    ]
    data["control"] = [s(actor) for actor in state.control]
    data["flags"] = [s(flag) for flag in state.flags]
    data["red_lines"] = [
        [s(r.status), r.since, r.crossed_turn, s(r.crossed_by)] for r in state.red_lines
    ]
    data["trigger_turns"] = [[s(trigger), turn] for trigger, turn in state.trigger_turns]
    data["end_reason"] = s(state.end_reason)
    return data


def decode_state(data: object, symbols: Symbols) -> GameState:
    """Inverse of :func:`encode_state`."""
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        raise CodecError("a state snapshot must be a mapping in state format 1")
    n = symbols.name
    try:
        plain = dict(data)
        plain["units"] = [[n(u[0]), n(u[1]), n(u[2]), n(u[3]), u[4]] for u in data["units"]]
        plain["control"] = [n(c) for c in data["control"]]
        plain["flags"] = [n(f) for f in data["flags"]]
        plain["red_lines"] = [[n(r[0]), r[1], r[2], n(r[3])] for r in data["red_lines"]]
        plain["trigger_turns"] = [[n(t[0]), t[1]] for t in data["trigger_turns"]]
        plain["end_reason"] = n(data["end_reason"])
        return GameState.from_dict(plain)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        if isinstance(exc, CodecError):
            raise
        raise CodecError(f"a state snapshot is malformed ({type(exc).__name__}: {exc})") from None
