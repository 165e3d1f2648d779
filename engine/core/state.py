"""The game state: an immutable, JSON-serialisable value with a stable digest.

A state is compact on purpose (house rule 9): units are small named tuples sorted by id,
track values, controllers and budgets are tuples indexed by the positions the
:class:`~engine.core.spec.GameSpec` assigns, and the generator is a single integer.  The
adjudicator thaws a state into a :class:`~engine.core.board.Board`, works on it, and
freezes the result into a new state; nothing ever mutates a ``GameState``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from engine.core.rng import seed_state
from engine.core.spec import GameSpec

STATE_FORMAT = 1


class Unit(NamedTuple):
    id: str
    unit_type: str
    owner: str
    area: str
    strength: float


class RedLineState(NamedTuple):
    """Where one red line stands: its status, the turn it took it, and when it was crossed."""

    status: str
    since: int
    crossed_turn: int = 0
    crossed_by: str = ""


@dataclass(frozen=True, slots=True)
class GameState:
    """Where a game stands at the start of ``turn`` (1-based; ``turn > spec.turns`` is over)."""

    turn: int
    units: tuple[Unit, ...]
    tracks: tuple[float, ...]
    control: tuple[str, ...]
    budgets: tuple[float, ...]
    flags: tuple[str, ...]
    rng: int
    next_serial: int = 1
    finished: bool = False
    end_reason: str = ""
    red_lines: tuple[RedLineState, ...] = ()
    """One per ``spec.red_lines``, in the same order."""
    trigger_turns: tuple[tuple[str, int], ...] = ()
    """The last turn each trigger fired, sorted by trigger id (spent ``once`` triggers too)."""

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready data.

        Numbers are written as floats even when a whole number was stored as an ``int``
        (a track clamped to an integer bound, a hand-built state): ``1 == 1.0``, so equal
        states must dump, and therefore digest, the same.
        """
        return {
            "format": STATE_FORMAT,
            "turn": self.turn,
            "units": [[*unit[:4], float(unit.strength)] for unit in self.units],
            "tracks": [float(value) for value in self.tracks],
            "control": list(self.control),
            "budgets": [float(value) for value in self.budgets],
            "flags": list(self.flags),
            "rng": self.rng,
            "next_serial": self.next_serial,
            "finished": self.finished,
            "end_reason": self.end_reason,
            "red_lines": [list(r) for r in self.red_lines],
            "trigger_turns": [list(t) for t in self.trigger_turns],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GameState:
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported state format {data.get('format')!r}")
        return cls(
            turn=int(data["turn"]),
            units=tuple(
                Unit(str(u[0]), str(u[1]), str(u[2]), str(u[3]), float(u[4])) for u in data["units"]
            ),
            tracks=tuple(float(v) for v in data["tracks"]),
            control=tuple(str(c) for c in data["control"]),
            budgets=tuple(float(b) for b in data["budgets"]),
            flags=tuple(str(f) for f in data["flags"]),
            rng=int(data["rng"]),
            next_serial=int(data["next_serial"]),
            finished=bool(data["finished"]),
            end_reason=str(data["end_reason"]),
            red_lines=tuple(
                RedLineState(str(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in data["red_lines"]
            ),
            trigger_turns=tuple((str(t[0]), int(t[1])) for t in data["trigger_turns"]),
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def digest(self) -> str:
        """SHA-256 of the canonical JSON: equal states have equal digests in any process."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def unit(self, unit_id: str) -> Unit | None:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        return None


def initial_state(spec: GameSpec, seed: int | None = None) -> GameState:
    """The state at the start of turn 1, seeded with ``seed`` or the scenario's default.

    Derived tracks (cross-theater opportunity) are computed from the starting forces.
    """
    state = _starting_values(spec, seed)
    if spec.linkage is None:
        return state
    from engine.core.board import Board  # board builds on this module
    from engine.core.linkage import update_linkage

    board = Board(spec, state)
    update_linkage(board)
    return board.freeze()


def _starting_values(spec: GameSpec, seed: int | None) -> GameState:
    tracks = []
    for key in spec.track_keys:
        track = spec.track_by_id[key[0]]
        tracks.append(track.clamp(spec.track_start.get(key, track.default)))
    units = sorted(
        (Unit(f.id, f.unit_type, f.owner, f.area, f.strength) for f in spec.forces),
        key=lambda u: u.id,
    )
    return GameState(
        turn=1,
        units=tuple(units),
        tracks=tuple(tracks),
        control=tuple(area.controller for area in spec.areas),
        budgets=tuple(actor.budget for actor in spec.actors),
        flags=tuple(sorted(spec.start_flags)),
        rng=seed_state(spec.seed if seed is None else seed),
        red_lines=tuple(
            RedLineState("armed" if r.armed else "inactive", 1 if r.armed else 0)
            for r in spec.red_lines
        ),
    )


def track_value(spec: GameSpec, state: GameState, track: str, scope: str = "") -> float:
    return state.tracks[spec.track_slots[(track, scope)]]


def controller_of(spec: GameSpec, state: GameState, area: str) -> str:
    return state.control[spec.area_index[area]]


def budget_of(spec: GameSpec, state: GameState, actor: str) -> float:
    return state.budgets[spec.actor_index[actor]]
