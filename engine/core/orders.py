"""Orders: what a side asks for in a turn, as small values with a text round-trip.

An order is *parsed* here (from text such as ``move 1ad poland`` or from a JSON/YAML
mapping) and raises :class:`~engine.errors.InvalidOrder` only when it cannot be read.
Whether it is allowed is a separate question answered by :mod:`engine.core.legality`, which
returns an :class:`OrderResult` instead of raising: a rejected order is data.

Text forms (the actor is given separately, or as an ``actor:`` prefix)::

    move UNIT DESTINATION [via AREA ...]
    attack AREA with UNIT [UNIT ...]
    act ACTION [TARGET]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.errors import InvalidOrder


class OrderCode(StrEnum):
    """Why an order was accepted or rejected.  ``OK`` is the only success."""

    OK = "ok"
    GAME_OVER = "game_over"
    UNKNOWN_ACTOR = "unknown_actor"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_AREA = "unknown_area"
    NOT_YOURS = "not_yours"
    ALREADY_ORDERED = "already_ordered"
    CANNOT_MOVE = "cannot_move"
    NO_ROUTE = "no_route"
    TOO_FAR = "too_far"
    NOT_DEPLOYABLE = "not_deployable"
    ENEMY_PRESENT = "enemy_present"
    NO_ENEMY = "no_enemy"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_ACTION = "unknown_action"
    NOT_PERMITTED = "not_permitted"
    NO_BUDGET = "no_budget"
    PRECONDITION = "precondition"
    BAD_TARGET = "bad_target"


@dataclass(frozen=True, slots=True)
class Move:
    """Move one unit to ``destination``; ``via`` pins the route, else the cheapest is used."""

    actor: str
    unit: str
    destination: str
    via: tuple[str, ...] = ()

    def text(self) -> str:
        via = f" via {' '.join(self.via)}" if self.via else ""
        return f"move {self.unit} {self.destination}{via}"


@dataclass(frozen=True, slots=True)
class Attack:
    """Units attack hostile forces in ``target`` (adjacent, or within range for air/missile)."""

    actor: str
    target: str
    units: tuple[str, ...]

    def text(self) -> str:
        return f"attack {self.target} with {' '.join(self.units)}"


@dataclass(frozen=True, slots=True)
class TakeAction:
    """Take one of the ruleset's actions, with a target when the action needs one."""

    actor: str
    action: str
    target: str = ""

    def text(self) -> str:
        return f"act {self.action}{' ' + self.target if self.target else ''}"


Order = Move | Attack | TakeAction


@dataclass(frozen=True, slots=True)
class OrderResult:
    """The verdict on one order: a code, a reason a player can read, and the order."""

    order: Order
    code: OrderCode
    reason: str = ""
    route: tuple[str, ...] = ()
    """For an accepted move, the areas it passes through, origin first."""

    @property
    def ok(self) -> bool:
        return self.code is OrderCode.OK


def order_text(order: Order) -> str:
    """``actor: verb ...``, parseable by :func:`parse_order`."""
    return f"{order.actor}: {order.text()}"


def parse_order(text: str, actor: str = "") -> Order:
    """Read one order from text.  ``actor`` applies when the text has no ``actor:`` prefix."""
    line = text.strip()
    head, sep, rest = line.partition(":")
    if sep and " " not in head.strip():
        actor, line = head.strip(), rest.strip()
    if not actor:
        raise InvalidOrder(f"order '{text.strip()}' does not say which actor gives it")
    words = line.split()
    if not words:
        raise InvalidOrder("empty order")
    verb, args = words[0].lower(), words[1:]
    if verb == "move":
        if len(args) < 2:
            raise InvalidOrder(f"'{line}': write 'move UNIT DESTINATION [via AREA ...]'")
        via: tuple[str, ...] = ()
        if len(args) > 2:
            if args[2] != "via" or len(args) == 3:
                raise InvalidOrder(f"'{line}': after the destination write 'via AREA ...'")
            via = tuple(args[3:])
        return Move(actor, args[0], args[1], via)
    if verb == "attack":
        if len(args) < 3 or args[1] != "with":
            raise InvalidOrder(f"'{line}': write 'attack AREA with UNIT [UNIT ...]'")
        return Attack(actor, args[0], tuple(args[2:]))
    if verb == "act":
        if len(args) not in (1, 2):
            raise InvalidOrder(f"'{line}': write 'act ACTION [TARGET]'")
        return TakeAction(actor, args[0], args[1] if len(args) == 2 else "")
    raise InvalidOrder(f"unknown order '{words[0]}': use move, attack or act")


def order_to_dict(order: Order) -> dict[str, Any]:
    if isinstance(order, Move):
        data: dict[str, Any] = {
            "type": "move",
            "actor": order.actor,
            "unit": order.unit,
            "destination": order.destination,
        }
        if order.via:
            data["via"] = list(order.via)
        return data
    if isinstance(order, Attack):
        return {
            "type": "attack",
            "actor": order.actor,
            "target": order.target,
            "units": list(order.units),
        }
    data = {"type": "act", "actor": order.actor, "action": order.action}
    if order.target:
        data["target"] = order.target
    return data


def _text_field(data: Mapping[str, Any], name: str, required: bool = True) -> str:
    value = data.get(name, "" if not required else None)
    if not isinstance(value, str) or (required and not value):
        raise InvalidOrder(f"order {dict(data)!r}: '{name}' must be a non-empty string")
    return value


def _names(data: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidOrder(f"order {dict(data)!r}: '{name}' must be a list of names")
    return tuple(value)


def order_from_dict(data: Mapping[str, Any]) -> Order:
    """Inverse of :func:`order_to_dict`, checking the shape of every field."""
    if not isinstance(data, Mapping):
        raise InvalidOrder(f"an order must be a mapping, not {type(data).__name__}")
    kind = data.get("type")
    actor = _text_field(data, "actor")
    if kind == "move":
        return Move(
            actor, _text_field(data, "unit"), _text_field(data, "destination"), _names(data, "via")
        )
    if kind == "attack":
        units = _names(data, "units")
        if not units:
            raise InvalidOrder(f"order {dict(data)!r}: an attack needs at least one unit")
        return Attack(actor, _text_field(data, "target"), units)
    if kind == "act":
        return TakeAction(
            actor, _text_field(data, "action"), _text_field(data, "target", required=False)
        )
    raise InvalidOrder(f"order {dict(data)!r}: 'type' must be move, attack or act")
