"""What one actor may see: the only view of a game that a bot or a team is given.

An :class:`Observation` holds a *belief state*, a :class:`GameState` built from what the
actor knows, so that every rule function (legality, reachable areas, conditions) works on
it unchanged, but nothing hidden can leak through it:

* units: every unit of the actor's side (allies share a picture); a hostile unit only when
  it stands in an area in sight, that is an on-map area where the side has units or which
  it controls, or one next to such an area; hostile units elsewhere and in off-map boxes
  are absent;
* tracks: global and theater tracks are public, and so are actor-scoped tracks the
  ruleset marks ``public``; any other track kept per actor is shown for the actors of the
  observer's side and at its default for everyone else;
* budgets: the actor's own; everyone else's shows as 0;
* red lines: public ones and the actor's own; another actor's private red line shows as
  never declared;
* the game's generator is blanked;
* control of areas, flags, the record of fired triggers (their firings are announced as
  events), the turn and the calendar are public;
* events of the last turn: those about what the actor saw, in sight at the start or at
  the end of the turn (see :func:`can_see_event`); a hostile unit's move shows only the
  areas of its path that were in sight, and an out-of-sight origin or destination is blank;
  a change caused by a private red line the actor does not know of shows no cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from engine.core.board import UnitIndex
from engine.core.events import (
    ActionVoided,
    BudgetChanged,
    CombatResolved,
    Event,
    MessageSent,
    MoveBounced,
    OrderRejected,
    RedLineChanged,
    TrackChanged,
    UnitMoved,
    UnitRelocated,
)
from engine.core.spec import GameSpec, RedLineSpec, TrackSpec
from engine.core.state import GameState, RedLineState


@dataclass(frozen=True)
class Observation:
    """One actor's view of the game at the start of a turn."""

    actor: str
    state: GameState
    """The belief state: the game as far as ``actor`` can see it (see the module doc)."""
    events: tuple[Event, ...]
    """The events of the previous turn that ``actor`` may see."""
    index: UnitIndex | None = field(default=None, compare=False, repr=False)
    """The belief state's units indexed, shared by the allies who see the same forces."""

    @property
    def turn(self) -> int:
        return self.state.turn


def areas_in_sight(spec: GameSpec, state: GameState, actor: str) -> frozenset[str]:
    """On-map areas where ``actor``'s side has units or control, and their neighbours."""
    side = spec.actor_by_id[actor].side
    actors = spec.actor_by_id
    held = {u.area for u in state.units if actors[u.owner].side == side}
    held |= {
        area.id
        for area, holder in zip(spec.areas, state.control, strict=True)
        if holder and actors[holder].side == side
    }
    held = {a for a in held if not spec.area_by_id[a].offmap}
    sight = set(held)
    for area in held:
        sight.update(n for n, _ in spec.neighbours[area] if not spec.area_by_id[n].offmap)
    return frozenset(sight)


def _sees_track(track: TrackSpec, scope: str, friends: set[str]) -> bool:
    """Global, theater and public tracks are seen by all; other per-actor copies by the side."""
    return track.scope != "actor" or track.public or scope in friends


def _knows_red_line(line: RedLineSpec, actor: str) -> bool:
    """A public red line is known to all, a private one to its declarer only."""
    return line.visibility == "public" or line.declared_by == actor


def observe(
    spec: GameSpec,
    state: GameState,
    actor: str,
    last_events: tuple[Event, ...] = (),
    previous: GameState | None = None,
) -> Observation:
    """The observation ``actor`` is given of ``state`` and of the turn that led to it.

    ``previous`` is the state that turn started from: what was in sight then (a unit since
    destroyed, or one that has moved away) was witnessed too, and its events are shown.
    """
    return Observer(spec, state, last_events, previous).of(actor)


class _SideView:
    """What every actor of one side sees alike: allies share a picture of the forces, the
    tracks and the events about them; only budgets, private red lines and messages differ
    from one ally to the next."""

    def __init__(
        self,
        spec: GameSpec,
        state: GameState,
        side: str,
        last_events: tuple[Event, ...],
        previous: GameState | None,
    ) -> None:
        actor = next(a.id for a in spec.actors if a.side == side)
        self.friends = {a.id for a in spec.actors if a.side == side}
        sight = areas_in_sight(spec, state, actor)
        friends = self.friends
        self.units = tuple(u for u in state.units if u.owner in friends or u.area in sight)
        self.index = UnitIndex(self.units)
        self.tracks = tuple(
            value
            if _sees_track(spec.track_by_id[track_id], scope, self.friends)
            else spec.track_by_id[track_id].default
            for (track_id, scope), value in zip(spec.track_keys, state.tracks, strict=True)
        )
        visible_units = {u.id for u in self.units}
        witnessed = sight
        if previous is not None:
            earlier = areas_in_sight(spec, previous, actor)
            witnessed = sight | earlier
            visible_units |= {
                u.id for u in previous.units if u.owner in friends or u.area in earlier
            }
        self.runs = _runs(_side_events(spec, last_events, visible_units, self.friends, witnessed))
        """The events the side may see, in the form it sees them, cut into runs that every
        ally sees alike, each followed by one that differs from ally to ally (or None)."""

    def events_for(self, actor: str) -> tuple[Event, ...]:
        """The events ``actor`` sees: the side's, less other allies' budgets, messages and
        private red lines, with the causes of red lines it does not know undisclosed."""
        seen: list[Event] = []
        for common, own in self.runs:
            seen.extend(common)
            if own is None or (own.only and own.only != actor):
                continue
            if own.undisclosed is None or own.knower == actor:
                seen.append(own.shown)
            else:
                seen.append(own.undisclosed)
        return tuple(seen)


def _side_events(
    spec: GameSpec,
    events: tuple[Event, ...],
    visible_units: set[str],
    friends: set[str],
    witnessed: frozenset[str],
) -> Iterator[_SeenEvent]:
    """The events a side may see, in the form it sees them (see :func:`can_see_event`)."""
    for event in events:
        if isinstance(event, MessageSent) and event.to != "all" and event.to not in friends:
            continue  # a message to no one of the side
        if type(event) is TrackChanged:
            # More than half of a turn's events: a track's change is seen as it is, by
            # those who see the track.
            if _sees_track(spec.track_by_id[event.track], event.scope, friends):
                yield _SeenEvent.of(spec, event)
        elif _side_sees(event, spec, visible_units, friends, witnessed):
            yield _SeenEvent.of(spec, _as_seen(event, friends, witnessed, frozenset()))


def _runs(
    entries: Iterable[_SeenEvent],
) -> tuple[tuple[tuple[Event, ...], _SeenEvent | None], ...]:
    """``entries`` as runs of events every ally sees alike, each run followed by the entry
    that ends it (one that differs between allies), the last by None."""
    runs: list[tuple[tuple[Event, ...], _SeenEvent | None]] = []
    common: list[Event] = []
    for entry in entries:
        if entry.only or entry.undisclosed is not None:
            runs.append((tuple(common), entry))
            common = []
        else:
            common.append(entry.shown)
    runs.append((tuple(common), None))
    return tuple(runs)


class _SeenEvent(NamedTuple):
    """An event one side sees, and how it differs from one ally to the next."""

    shown: Event
    only: str
    """The one ally who sees it (its budget, a message to it, its private red line), or
    empty when every ally does."""
    knower: str
    """The declarer of the private red line that caused it, or empty: every other ally
    sees ``undisclosed`` instead."""
    undisclosed: Event | None

    @classmethod
    def of(cls, spec: GameSpec, shown: Event) -> _SeenEvent:
        only = ""
        if isinstance(shown, RedLineChanged) and shown.private:
            only = shown.declared_by
        elif isinstance(shown, BudgetChanged):
            only = shown.actor
        elif isinstance(shown, MessageSent) and shown.to != "all":
            only = shown.to
        line = spec.red_line_by_id.get(_red_line_cause(shown.cause))
        if line is None or line.visibility == "public":
            return cls(shown, only, "", None)
        return cls(shown, only, line.declared_by, replace(shown, cause=UNDISCLOSED))


def _red_line_cause(cause: str) -> str:
    """The red line a cause names (``red_line:ID...``), or empty."""
    return cause.split(":")[1] if cause.startswith("red_line:") else ""


class Observer:
    """The observations of every actor at one moment of a game, sharing what allies see
    alike: the game loop builds one per turn and asks it for each actor in turn."""

    def __init__(
        self,
        spec: GameSpec,
        state: GameState,
        last_events: tuple[Event, ...] = (),
        previous: GameState | None = None,
    ) -> None:
        self.spec = spec
        self.state = state
        self.last_events = last_events
        self.previous = previous
        self._sides: dict[str, _SideView] = {}

    def of(self, actor: str) -> Observation:
        """What ``actor`` sees (see the module's documentation for the rules)."""
        spec, state = self.spec, self.state
        side = spec.actor_by_id[actor].side
        view = self._sides.get(side)
        if view is None:
            view = self._sides[side] = _SideView(spec, state, side, self.last_events, self.previous)
        belief = GameState(
            turn=state.turn,
            units=view.units,
            tracks=view.tracks,
            control=state.control,
            budgets=tuple(
                value if a.id == actor else 0.0
                for a, value in zip(spec.actors, state.budgets, strict=True)
            ),
            flags=state.flags,
            rng=0,
            next_serial=state.next_serial,
            finished=state.finished,
            end_reason=state.end_reason,
            red_lines=tuple(
                status if _knows_red_line(line, actor) else RedLineState("inactive", 0)
                for line, status in zip(spec.red_lines, state.red_lines, strict=True)
            ),
            trigger_turns=state.trigger_turns,
        )
        return Observation(actor, belief, view.events_for(actor), view.index)


def _side_sees(
    event: Event,
    spec: GameSpec,
    visible_units: set[str],
    friends: set[str],
    sight: frozenset[str],
) -> bool:
    """The side's part of :func:`can_see_event`: whether allies may see ``event`` at all."""
    return can_see_event(event, "", spec, visible_units, friends, sight, side_only=True)


def _actor_sees(event: Event, actor: str) -> bool:
    """The actor's own part of :func:`can_see_event`: private red lines, budgets, messages."""
    if isinstance(event, RedLineChanged):
        return not event.private or event.declared_by == actor
    if isinstance(event, BudgetChanged):
        return event.actor == actor
    if isinstance(event, MessageSent):
        return event.to in ("all", actor)
    return True


def _undisclosed(event: Event, unknown_lines: frozenset[str]) -> Event:
    if _red_line_cause(event.cause) in unknown_lines:
        return replace(event, cause=UNDISCLOSED)
    return event


UNDISCLOSED = "undisclosed"
"""The cause shown for a visible change that a red line the observer does not know of
caused: the change is seen, the private line behind it is not."""


def _as_seen(
    event: Event, friends: set[str], sight: frozenset[str], unknown_lines: frozenset[str]
) -> Event:
    """A hostile unit's move shows only the part of its path that was in sight, and where
    a hostile unit came from or was headed is blank when that place was out of sight; a
    change caused by a private red line the observer does not know of keeps its cause
    to itself."""
    if unknown_lines:
        event = _undisclosed(event, unknown_lines)
    if isinstance(event, UnitMoved) and event.owner not in friends:
        path = tuple(area for area in event.path if area in sight) or event.path[-1:]
        return replace(event, path=path)
    hostile = getattr(event, "owner", "") not in friends
    if isinstance(event, UnitRelocated) and hostile and event.origin not in sight:
        return replace(event, origin="")
    if isinstance(event, MoveBounced) and hostile and event.destination not in sight:
        return replace(event, destination="")
    return event


def can_see_event(
    event: Event,
    actor: str,
    spec: GameSpec | None = None,
    visible_units: frozenset[str] | set[str] | None = None,
    friends: set[str] | None = None,
    sight: frozenset[str] | None = None,
    side_only: bool = False,
) -> bool:
    """Whether ``actor`` may see ``event``.

    A private red line's steps are seen only by its declarer. With the game's ``spec``,
    the units now in sight and the actor's side, it also hides events about units out of
    sight, other sides' budgets and actor-scoped tracks, rejected orders and voided
    actions of other sides, and messages to others; with the areas in ``sight``, combats
    out of sight.  ``side_only`` leaves out what depends on the actor itself (its private
    red lines, its budget, messages to it), which differs between allies.
    """
    if not side_only and not _actor_sees(event, actor):
        return False
    if spec is None or visible_units is None or friends is None:
        return True
    if isinstance(event, CombatResolved) and sight is not None:
        # Allies share a picture, and attacks are made only into areas in sight, so every
        # combat the side fought in is in sight too.
        return event.area in sight
    unit = getattr(event, "unit", None)
    if unit is not None and unit not in visible_units:
        owner = getattr(event, "owner", "")
        return owner in friends
    if isinstance(event, BudgetChanged):
        return side_only or event.actor == actor
    if isinstance(event, OrderRejected | ActionVoided):
        return event.actor in friends
    if isinstance(event, TrackChanged):
        track = spec.track_by_id[event.track]
        return _sees_track(track, event.scope, friends)
    return True


def visible_red_lines(
    spec: GameSpec, state: GameState, actor: str
) -> list[tuple[RedLineSpec, RedLineState]]:
    """The red lines ``actor`` knows of, with their status: public ones and its own."""
    return [
        (line, status)
        for line, status in zip(spec.red_lines, state.red_lines, strict=True)
        if _knows_red_line(line, actor)
    ]
