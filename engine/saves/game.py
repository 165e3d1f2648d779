"""A saved game in memory, and its JSON document (format ``redline-save``, version 1).

A save is self-sufficient: it embeds the text of every content file the game was built
from (so it replays after the files change), the seed, who played each actor, and for
every turn the orders, the facilitator's controls with their reasons, the events and the
digest of the state after it.  Snapshots of the state every :data:`KEYFRAME_EVERY` turns
make seeking fast.  ``docs/saves.md`` documents every field.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from engine import __version__
from engine.core import Event, GameState, Order
from engine.errors import InvalidOrder
from engine.saves.codec import (
    CodecError,
    Symbols,
    decode_events,
    decode_orders,
    decode_state,
    encode_events,
    encode_orders,
    encode_state,
)

FORMAT = "redline-save"
FORMAT_VERSION = 1
KEYFRAME_EVERY = 8
"""A snapshot of the state is kept at the start of turns 9, 17, 25...: seeking replays at
most seven turns."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Content:
    """The content files a game was built from: ``entry`` is the scenario, ``files`` maps
    each file's path (relative to the folder holding them all) to its text."""

    entry: str
    files: Mapping[str, str]

    @classmethod
    def from_sources(cls, scenario_path: Path, sources: Mapping[str, str]) -> Content:
        """Embed ``sources`` (as recorded by the loader) relative to their common folder."""
        absolute = {os.path.abspath(name): text for name, text in sources.items()}
        root = os.path.commonpath([os.path.dirname(name) for name in absolute])
        files = {
            Path(os.path.relpath(name, root)).as_posix(): text for name, text in absolute.items()
        }
        entry = Path(os.path.relpath(os.path.abspath(scenario_path), root)).as_posix()
        return cls(entry, dict(sorted(files.items())))


ControlKind = Literal["inject", "override"]


@dataclass(frozen=True)
class ControlRecord:
    """A white-cell control as the facilitator gave it, kept as data: an inject names a
    trigger, an override lists effects written as in a scenario file."""

    kind: ControlKind
    reason: str
    trigger: str = ""
    effects: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        if self.kind == "inject":
            return {"inject": self.trigger, "reason": self.reason}
        return {"override": [dict(e) for e in self.effects], "reason": self.reason}

    @classmethod
    def from_json(cls, data: object, where: str) -> ControlRecord:
        if not isinstance(data, dict) or not isinstance(data.get("reason", ""), str):
            raise CodecError(
                f"{where}: a control is {{inject: TRIGGER}} or {{override: [...]}} with a reason"
            )
        reason = data.get("reason", "")
        if isinstance(data.get("inject"), str):
            return cls("inject", reason, trigger=data["inject"])
        effects = data.get("override")
        if isinstance(effects, list) and all(isinstance(e, dict) for e in effects):
            return cls("override", reason, effects=tuple(effects))
        raise CodecError(
            f"{where}: a control is {{inject: TRIGGER}} or {{override: [...]}} with a reason"
        )


@dataclass(frozen=True)
class SavedTurn:
    """One played turn: its orders and what they did, then any controls applied after it.

    ``digest`` is that of the state after the turn *and* its controls: the state the next
    turn starts from.
    """

    turn: int
    date: str
    orders: tuple[Order, ...]
    events: tuple[Event, ...]
    digest: str
    reasons: tuple[tuple[str, str], ...] = ()
    controls: tuple[ControlRecord, ...] = ()
    control_events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class TeamRecord:
    """A team of a facilitated exercise: its name, its actors, and who plays it."""

    name: str
    actors: tuple[str, ...]
    player: str
    """``human`` (orders from sheets or the map view) or ``bot`` (its computer players)."""


@dataclass(frozen=True)
class Rewind:
    """The white cell took the game back: turns ``to_turn`` to ``from_turn - 1`` were
    dropped (the game they made had the digest ``dropped_digest``), for ``reason``."""

    from_turn: int
    to_turn: int
    reason: str
    dropped_digest: str


@dataclass(frozen=True)
class Note:
    """A bookmark or an annotation on a turn, for the debrief."""

    turn: int
    text: str


@dataclass
class SavedGame:
    """Everything needed to replay, rewind, branch or continue a game."""

    scenario: str
    content: Content
    seed: int
    players: dict[str, str]
    """Who played each actor: ``human`` or a computer player's kind."""
    difficulty: str | None = None
    opening: tuple[ControlRecord, ...] = ()
    """Controls applied to the starting state, before turn 1."""
    opening_events: tuple[Event, ...] = ()
    turns: list[SavedTurn] = field(default_factory=list)
    keyframes: dict[int, GameState] = field(default_factory=dict)
    """The state at the start of a turn, every few turns."""
    bookmarks: list[Note] = field(default_factory=list)
    annotations: list[Note] = field(default_factory=list)
    origin: str = ""
    """For a branch, the save and the turn it was branched from."""
    teams: dict[str, TeamRecord] = field(default_factory=dict)
    """For a facilitated exercise, its teams by id."""
    rewinds: list[Rewind] = field(default_factory=list)
    stopped: str = ""
    engine_version: str = __version__

    @property
    def next_turn(self) -> int:
        """The turn a continued game plays next."""
        return self.turns[-1].turn + 1 if self.turns else 1

    def add_turn(self, turn: SavedTurn, state_after: GameState) -> None:
        """Record a played turn; keep a snapshot when the next turn starts a keyframe."""
        self.turns.append(turn)
        if state_after.turn % KEYFRAME_EVERY == 1:
            self.keyframes[state_after.turn] = state_after

    def turn(self, number: int) -> SavedTurn:
        for played in self.turns:
            if played.turn == number:
                return played
        raise KeyError(number)

    def to_document(self) -> dict[str, Any]:
        """The JSON document, without its checksum (added when written)."""
        symbols = Symbols()
        turns = [_turn_to_json(t, symbols) for t in self.turns]
        keyframes = {str(n): encode_state(s, symbols) for n, s in sorted(self.keyframes.items())}
        opening_events = encode_events(self.opening_events, symbols)
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine_version": self.engine_version,
            "scenario": self.scenario,
            "seed": self.seed,
            "players": dict(self.players),
            "difficulty": self.difficulty,
            "origin": self.origin,
            "stopped": self.stopped,
            "content": {
                "entry": self.content.entry,
                "files": {
                    name: {"sha256": sha256(text), "text": text}
                    for name, text in self.content.files.items()
                },
            },
            "teams": {
                team_id: {"name": t.name, "actors": list(t.actors), "player": t.player}
                for team_id, t in self.teams.items()
            },
            "rewinds": [
                {
                    "from_turn": r.from_turn,
                    "to_turn": r.to_turn,
                    "reason": r.reason,
                    "dropped_digest": r.dropped_digest,
                }
                for r in self.rewinds
            ],
            "bookmarks": [{"turn": n.turn, "label": n.text} for n in self.bookmarks],
            "annotations": [{"turn": n.turn, "text": n.text} for n in self.annotations],
            "opening": {
                "controls": [c.to_json() for c in self.opening],
                "events": opening_events,
            },
            "symbols": symbols.names,
            "keyframes": keyframes,
            "turns": turns,
        }

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> SavedGame:
        """Read a document of the current version; :class:`CodecError` names what is wrong."""
        read = _Reader(doc, "")
        symbols = Symbols(read.list_of("symbols", str))
        content = read.mapping("content")
        files = _Reader(content, "content").mapping("files")
        texts: dict[str, str] = {}
        for name, entry in files.items():
            item = _Reader(entry, f"content.files.{name}")
            text = item.text("text")
            if sha256(text) != item.text("sha256"):
                raise CodecError(f"content.files.{name}: the text does not match its sha256")
            texts[name] = text
        entry_name = _Reader(content, "content").text("entry")
        if entry_name not in texts:
            raise CodecError(f"content.entry: '{entry_name}' is not among the embedded files")
        opening = _Reader(read.mapping("opening"), "opening")
        game = cls(
            scenario=read.text("scenario"),
            content=Content(entry_name, texts),
            seed=read.integer("seed"),
            players={str(k): str(v) for k, v in read.mapping("players").items()},
            difficulty=read.optional_text("difficulty"),
            opening=tuple(
                ControlRecord.from_json(c, f"opening.controls[{i}]")
                for i, c in enumerate(opening.list_of("controls", dict))
            ),
            opening_events=_decode(
                decode_events, opening.value("events"), 1, symbols, "opening.events"
            ),
            bookmarks=_notes(read, "bookmarks", "label"),
            annotations=_notes(read, "annotations", "text"),
            origin=read.text("origin"),
            stopped=read.text("stopped"),
            engine_version=read.text("engine_version"),
            teams=_teams(read),
            rewinds=_rewinds(read),
        )
        for index, data in enumerate(read.list_of("turns", dict)):
            game.turns.append(_turn_from_json(data, f"turns[{index}]", symbols))
        for number, data in read.mapping("keyframes").items():
            if not number.isdigit():
                raise CodecError(f"keyframes: '{number}' is not a turn number")
            game.keyframes[int(number)] = _decode(
                lambda d, _t, s: decode_state(d, s), data, 0, symbols, f"keyframes.{number}"
            )
        _check_sequence(game)
        return game


def _turn_to_json(turn: SavedTurn, symbols: Symbols) -> dict[str, Any]:
    data: dict[str, Any] = {
        "turn": turn.turn,
        "date": turn.date,
        "orders": encode_orders(turn.orders, symbols),
        "reasons": [[symbols.id(actor), symbols.id(reason)] for actor, reason in turn.reasons],
        "events": encode_events(turn.events, symbols),
        "digest": turn.digest,
    }
    if turn.controls:
        data["controls"] = [c.to_json() for c in turn.controls]
        data["control_events"] = encode_events(turn.control_events, symbols)
    return data


def _turn_from_json(data: Mapping[str, Any], where: str, symbols: Symbols) -> SavedTurn:
    read = _Reader(data, where)
    number = read.integer("turn")
    try:
        reasons = [(symbols.name(r[0]), symbols.name(r[1])) for r in read.list_of("reasons", list)]
    except (CodecError, IndexError):
        raise CodecError(f"{where}.reasons: each reason is [actor, text] as symbols") from None
    try:
        orders = decode_orders(read.value("orders"), symbols)
    except (InvalidOrder, CodecError) as exc:
        raise CodecError(f"{where}.orders: {exc}") from None
    controls = tuple(
        ControlRecord.from_json(c, f"{where}.controls[{i}]")
        for i, c in enumerate(read.list_of("controls", dict, required=False))
    )
    return SavedTurn(
        turn=number,
        date=read.text("date"),
        orders=orders,
        events=_decode(decode_events, read.value("events"), number, symbols, f"{where}.events"),
        digest=read.text("digest"),
        reasons=tuple(reasons),
        controls=controls,
        control_events=_decode(
            decode_events,
            data.get("control_events", []),
            number + 1,
            symbols,
            f"{where}.control_events",
        ),
    )


def _decode(decoder: Any, data: object, turn: int, symbols: Symbols, where: str) -> Any:
    try:
        return decoder(data, turn, symbols)
    except CodecError as exc:
        raise CodecError(f"{where}: {exc}") from None


def _notes(read: _Reader, key: str, text_key: str) -> list[Note]:
    notes = []
    for index, data in enumerate(read.list_of(key, dict)):
        item = _Reader(data, f"{key}[{index}]")
        notes.append(Note(item.integer("turn"), item.text(text_key)))
    return notes


def _teams(read: _Reader) -> dict[str, TeamRecord]:
    """The exercise's teams; saves written before teams existed have none."""
    if "teams" not in read.data:
        return {}
    teams = {}
    for team_id, data in read.mapping("teams").items():
        item = _Reader(data, f"teams.{team_id}")
        actors = tuple(item.list_of("actors", str))
        teams[team_id] = TeamRecord(item.text("name"), actors, item.text("player"))
    return teams


def _rewinds(read: _Reader) -> list[Rewind]:
    rewinds = []
    for index, data in enumerate(read.list_of("rewinds", dict, required=False)):
        item = _Reader(data, f"rewinds[{index}]")
        rewinds.append(
            Rewind(
                item.integer("from_turn"),
                item.integer("to_turn"),
                item.text("reason"),
                item.text("dropped_digest"),
            )
        )
    return rewinds


def _check_sequence(game: SavedGame) -> None:
    """Turns are numbered 1, 2, 3... and keyframes fall within the game."""
    for expected, played in enumerate(game.turns, start=1):
        if played.turn != expected:
            raise CodecError(
                f"turns[{expected - 1}]: turn {played.turn} where turn {expected} belongs"
            )
    for number, state in game.keyframes.items():
        if not 1 < number <= game.next_turn or state.turn != number:
            raise CodecError(f"keyframes.{number}: no snapshot can start turn {number} here")


class _Reader:
    """Typed access to one mapping of the document, naming the field in every error."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise CodecError(f"{where or 'the save'}: expected a mapping")
        self.data = data
        self.where = where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def value(self, key: str) -> Any:
        if key not in self.data:
            raise CodecError(f"{self._name(key)}: missing")
        return self.data[key]

    def _typed(self, key: str, kind: type | tuple[type, ...], what: str) -> Any:
        value = self.value(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise CodecError(f"{self._name(key)}: expected {what}, found {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        return str(self._typed(key, str, "text"))

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def integer(self, key: str) -> int:
        return int(self._typed(key, int, "a whole number"))

    def mapping(self, key: str) -> Mapping[str, Any]:
        return dict(self._typed(key, dict, "a mapping"))

    def list_of(self, key: str, kind: type, required: bool = True) -> Sequence[Any]:
        if not required and key not in self.data:
            return []
        items = self._typed(key, list, "a list")
        for index, item in enumerate(items):
            if not isinstance(item, kind):
                raise CodecError(f"{self._name(key)}[{index}]: expected {kind.__name__}")
        return list(items)
