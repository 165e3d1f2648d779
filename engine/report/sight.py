"""What a report may show: everything, for the facilitator, or what a team's actors saw.

Every section of the report reads the game through a :class:`Sight` and nothing else, so
that redaction is decided in one place.  A team's sight is built from the observations
its actors were given during play (:func:`~engine.core.observation.observe`, the fog rules
bots and players live under): their own orders and their computer players' reasons, the
events they could see (a private red line they do not know of, or a cause naming one, is
absent), tracks they could read, their own budgets, the red lines they know.  A team of
several actors sees what any of them saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from engine.core import Event, GameState, Order
from engine.core.observation import UNDISCLOSED, observe, visible_red_lines
from engine.core.spec import ActorSpec, GameSpec, OutcomeSpec, RedLineSpec
from engine.report.errors import ReportError
from engine.saves.game import ControlRecord
from engine.saves.replay import Replay

_SHOWN_IN_PART = frozenset({"cause", "path", "origin", "destination"})
"""The fields fog may blank or shorten in an event that is otherwise shown as it was."""


@dataclass(frozen=True)
class SeenControl:
    """A white-cell control as the report shows it: its record, its number among the
    controls given between two turns, and the events it caused that the viewers saw."""

    number: int
    record: ControlRecord
    events: tuple[Event, ...]


@dataclass(frozen=True)
class SeenTurn:
    """One played turn as the viewers saw it (turn 0: the controls before turn 1)."""

    turn: int
    date: str
    orders: tuple[Order, ...]
    reasons: tuple[tuple[str, str], ...]
    events: tuple[Event, ...]
    """The turn's events, then those of the controls after it, as the viewers saw them."""
    controls: tuple[SeenControl, ...]


class Sight:
    """The game as the report's readers may see it: all of it when ``viewers`` is empty,
    else what those actors saw."""

    def __init__(self, replay: Replay, viewers: Sequence[str] = ()) -> None:
        spec = replay.spec
        unknown = [v for v in viewers if v not in spec.actor_by_id]
        if unknown:
            known = ", ".join(a.id for a in spec.actors)
            raise ReportError(
                f"{spec.scenario_id} has no actor {', '.join(repr(v) for v in unknown)}; "
                f"its actors are {known}"
            )
        self.replay = replay
        self.spec: GameSpec = spec
        self.viewers: tuple[str, ...] = tuple(dict.fromkeys(viewers))
        self.sides = frozenset(spec.actor_by_id[v].side for v in self.viewers)
        self._friends = frozenset(a.id for a in spec.actors if a.side in self.sides)
        self._turns: dict[int, SeenTurn] = {}
        self._beliefs: dict[tuple[str, int], GameState] = {}

    @property
    def is_full(self) -> bool:
        """Whether this is the facilitator's sight, which hides nothing."""
        return not self.viewers

    @property
    def last_turn(self) -> int:
        return self.replay.last_turn

    def is_viewer(self, actor: str) -> bool:
        """Whether ``actor``'s own orders, reasons and budget may be shown."""
        return self.is_full or actor in self.viewers

    def actors(self) -> tuple[ActorSpec, ...]:
        """The actors whose orders the report lists: all, or the viewers in the game's order."""
        return tuple(a for a in self.spec.actors if self.is_viewer(a.id))

    # ------------------------------------------------------------------ states and tracks

    def state(self, turn: int) -> GameState:
        """The true state after ``turn`` (0: the start); only for what :meth:`sees_track`
        and the like allow to be shown."""
        return self.replay.state_at(turn + 1)

    def belief(self, viewer: str, turn: int) -> GameState:
        """``viewer``'s belief state after ``turn`` (0: the start), as ``observe`` gave it."""
        key = (viewer, turn)
        if key not in self._beliefs:
            self._beliefs[key] = observe(self.spec, self.state(turn), viewer).state
        return self._beliefs[key]

    def sees_track(self, track_id: str, scope: str) -> bool:
        """The fog rule of :mod:`engine.core.observation` for one track slot: global,
        theater and public tracks are seen by all, other per-actor tracks by the side."""
        track = self.spec.track_by_id[track_id]
        return self.is_full or track.scope != "actor" or track.public or scope in self._friends

    def track_value(self, turn: int, track_id: str, scope: str) -> float | None:
        """The track's value after ``turn`` as the viewers read it, or None when hidden."""
        if not self.sees_track(track_id, scope):
            return None
        slot = self.spec.track_slots[(track_id, scope)]
        if self.is_full:
            return self.state(turn).tracks[slot]
        track = self.spec.track_by_id[track_id]
        actors = self.spec.actor_by_id
        reader = next(
            v
            for v in self.viewers
            if track.scope != "actor" or track.public or actors[scope].side == actors[v].side
        )
        return self.belief(reader, turn).tracks[slot]

    def budget(self, actor: str, turn: int) -> float | None:
        """``actor``'s budget after ``turn``, or None when the viewers may not know it."""
        if not self.is_viewer(actor):
            return None
        return self.state(turn).budgets[self.spec.actor_index[actor]]

    def sees_outcome(self, outcome: OutcomeSpec) -> bool:
        """Whether every value a measure folds was visible: tracks by the fog rule, a
        side's or an actor's strength only for the viewers' own side (hostile units out of
        sight would be counted); control of areas and flags are public."""
        if self.is_full or outcome.kind in ("control_changed", "flag"):
            return True
        if outcome.kind == "track":
            return self.sees_track(outcome.track, outcome.scope)
        if outcome.actor:
            return self.spec.actor_by_id[outcome.actor].side in self.sides
        return bool(outcome.side) and outcome.side in self.sides

    def red_lines(self) -> list[RedLineSpec]:
        """The red lines the viewers know of (public ones and their own), in the game's order."""
        if self.is_full:
            return list(self.spec.red_lines)
        start = self.state(0)
        known = {
            line.id for v in self.viewers for line, _ in visible_red_lines(self.spec, start, v)
        }
        return [line for line in self.spec.red_lines if line.id in known]

    # ------------------------------------------------------------------ turns

    def turn(self, number: int) -> SeenTurn:
        """Turn ``number`` (1 to :attr:`last_turn`; 0 for the opening controls) as seen."""
        if number not in self._turns:
            self._turns[number] = self._see(number)
        return self._turns[number]

    def turns(self) -> list[SeenTurn]:
        """Every played turn as seen, in order."""
        return [self.turn(n) for n in range(1, self.last_turn + 1)]

    def _see(self, number: int) -> SeenTurn:
        saved = self.replay.saved
        orders: tuple[Order, ...] = ()
        reasons: tuple[tuple[str, str], ...] = ()
        if number == 0:
            date = ""
            records, events = saved.opening, saved.opening_events
            before = after = self.replay.start()
        else:
            played = saved.turn(number)
            date, orders, reasons = played.date, played.orders, played.reasons
            records, events = played.controls, self.replay.events_of(number)
            before, after = self.replay.state_at(number), self.replay.state_at(number + 1)
        seen = self._seen_events(events, after, before if number else None)
        controls = []
        for index, record in enumerate(records, start=1):
            caused = tuple(e for e in seen if e.cause == f"control:{index}")
            if self.is_full or caused:
                controls.append(SeenControl(index, record, caused))
        return SeenTurn(
            turn=number,
            date=date,
            orders=tuple(o for o in orders if self.is_viewer(o.actor)),
            reasons=tuple((who, why) for who, why in reasons if self.is_viewer(who)),
            events=seen,
            controls=tuple(controls),
        )

    def _seen_events(
        self, events: tuple[Event, ...], after: GameState, before: GameState | None
    ) -> tuple[Event, ...]:
        """The events any viewer saw, each in the fullest form one of them saw it."""
        if self.is_full:
            return events
        seen_by = [observe(self.spec, after, v, events, before).events for v in self.viewers]
        if len(seen_by) == 1:
            return seen_by[0]
        versions: list[list[Event]] = [[] for _ in events]
        leftovers: list[Event] = []
        for seen in seen_by:
            leftovers.extend(_align(events, seen, versions))
        merged = [
            _fullest(original, found)
            for original, found in zip(events, versions, strict=True)
            if found
        ]
        merged.extend(e for e in dict.fromkeys(leftovers) if e not in merged)
        return tuple(merged)


def _is_version_of(seen: Event, original: Event) -> bool:
    """Whether ``seen`` is ``original`` as fog shows it (some fields blanked or shortened)."""
    return type(seen) is type(original) and all(
        getattr(seen, f.name) == getattr(original, f.name)
        for f in fields(original)
        if f.name not in _SHOWN_IN_PART
    )


def _align(
    events: tuple[Event, ...], seen: tuple[Event, ...], versions: list[list[Event]]
) -> list[Event]:
    """Put each event of ``seen`` (a filtered, order-keeping copy of ``events``) beside the
    event it shows; returns any it could not place, which are still shown (they were seen)."""
    position = 0
    for index, event in enumerate(seen):
        while position < len(events) and not _is_version_of(event, events[position]):
            position += 1
        if position == len(events):
            return list(seen[index:])
        versions[position].append(event)
        position += 1
    return []


def _fullest(original: Event, found: list[Event]) -> Event:
    """The whole event if a viewer saw it whole, else one whose cause was disclosed."""
    if original in found:
        return original
    return next((e for e in found if e.cause != UNDISCLOSED), found[0])
