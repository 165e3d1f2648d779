"""The mutable working copy of a state while one turn is adjudicated.

Adjudication thaws the frozen :class:`~engine.core.state.GameState` into a ``Board``, changes
it through the methods below (each of which records the matching event), and freezes it
again.  Keeping every mutation behind these methods is what guarantees that every change
has an event with a cause.
"""

from __future__ import annotations

from collections.abc import Hashable

from engine.core.events import (
    BudgetChanged,
    ControlChanged,
    EscalationChanged,
    Event,
    FlagChanged,
    GameEnded,
    MessageSent,
    NamedEventRaised,
    RedLineChanged,
    TrackChanged,
    UnitAdded,
    UnitDamaged,
    UnitDestroyed,
    UnitMoved,
    UnitRelocated,
    UnitRemoved,
)
from engine.core.rng import Rng
from engine.core.spec import GameSpec
from engine.core.state import GameState, RedLineState, Unit

ESCALATION_TRACK = "escalation"
"""The theater-scoped track that holds each theater's rung when the ruleset has a ladder."""

_PRECISION = 6
"""Track values and strengths are rounded so that digests do not carry float noise."""


class UnitQueries:
    """Answers about one set of units, worked out when first asked and kept while no unit
    changes: the sorted units of an area or an owner, hostile units and their strength, and
    tallies of the units a condition selects."""

    __slots__ = (
        "defended",
        "hostile",
        "hostile_strength",
        "in_area",
        "of_actor",
        "pressure",
        "tallies",
    )

    def __init__(self) -> None:
        self.in_area: dict[str, tuple[Unit, ...]] = {}
        self.of_actor: dict[str, tuple[Unit, ...]] = {}
        # Hostility is between sides, so what is hostile to one actor is hostile to its
        # allies: the keys below are (area, side).
        self.hostile: dict[tuple[str, str], tuple[Unit, ...]] = {}
        self.hostile_strength: dict[tuple[str, str], float] = {}
        self.pressure: dict[tuple[str, str], float] = {}
        self.defended: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
        self.tallies: dict[Hashable, tuple[int, float]] = {}
        """Count and total strength of the units a condition's filter selects, keyed by the
        filter and the ids its context tokens stood for."""


class UnitIndex:
    """A state's units by id, by area and by owner: built once, shared by every board made
    from the same units (all the allies of a side see the same forces), and copied on write.

    The sets are frozen, so a board that moves a unit replaces the one or two sets it
    touches instead of copying them all when it is made; the boards share the index's
    :class:`UnitQueries` until their units change.
    """

    __slots__ = ("at", "owned", "queries", "units")

    def __init__(self, units: tuple[Unit, ...]) -> None:
        self.units: dict[str, Unit] = {unit.id: unit for unit in units}
        at: dict[str, set[str]] = {}
        owned: dict[str, set[str]] = {}
        for unit in units:
            at.setdefault(unit.area, set()).add(unit.id)
            owned.setdefault(unit.owner, set()).add(unit.id)
        self.at: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in at.items()}
        self.owned: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in owned.items()}
        self.queries = UnitQueries()


_NO_UNITS: frozenset[str] = frozenset()


class Board:
    """A game state being changed, plus the events that record each change.

    Reading units by area or owner is the hot path of every bot's decision, so the answers
    are kept until a unit changes (:class:`UnitQueries`); ``revision`` counts the changes,
    for callers that keep their own answers about a board (the order checker's
    preconditions).
    """

    __slots__ = (
        "_queries",
        "at",
        "budgets",
        "control",
        "end_reason",
        "events",
        "finished",
        "flags",
        "next_serial",
        "owned",
        "phase",
        "raised",
        "red_lines",
        "revision",
        "rng",
        "spec",
        "tracks",
        "trigger_turns",
        "turn",
        "units",
    )

    def __init__(self, spec: GameSpec, state: GameState, index: UnitIndex | None = None) -> None:
        """``index`` is ``state``'s units already indexed (see :class:`UnitIndex`)."""
        self.spec = spec
        self.turn = state.turn
        if index is None:
            index = UnitIndex(state.units)
        self.units: dict[str, Unit] = dict(index.units)
        self.at: dict[str, frozenset[str]] = dict(index.at)
        """Unit ids by area, kept in step with ``units`` by every method that moves one."""
        self.owned: dict[str, frozenset[str]] = dict(index.owned)
        """Unit ids by owner, kept in step with ``units`` likewise."""
        self._queries = index.queries
        self.revision = 0
        """How many changes to what conditions read have been made to this board: each one
        recorded by an event (:meth:`_record`), and the turn's advance."""
        self.tracks = list(state.tracks)
        self.control = list(state.control)
        self.budgets = list(state.budgets)
        self.flags = set(state.flags)
        self.rng = Rng(state.rng)
        self.next_serial = state.next_serial
        self.finished = state.finished
        self.end_reason = state.end_reason
        self.red_lines = list(state.red_lines)
        self.trigger_turns = dict(state.trigger_turns)
        self.events: list[Event] = []
        self.phase = ""
        self.raised: list[str] = []
        """Named events raised by effects and not yet handled by the trigger queue."""

    def freeze(self) -> GameState:
        return GameState(
            turn=self.turn,
            units=tuple(sorted(self.units.values())),
            tracks=tuple(self.tracks),
            control=tuple(self.control),
            budgets=tuple(self.budgets),
            flags=tuple(sorted(self.flags)),
            rng=self.rng.state,
            next_serial=self.next_serial,
            finished=self.finished,
            end_reason=self.end_reason,
            red_lines=tuple(self.red_lines),
            trigger_turns=tuple(sorted(self.trigger_turns.items())),
        )

    # ------------------------------------------------------------------ reading

    def track(self, track: str, scope: str = "") -> float:
        return self.tracks[self.spec.track_slots[(track, scope)]]

    def controller(self, area: str) -> str:
        return self.control[self.spec.area_index[area]]

    def budget(self, actor: str) -> float:
        return self.budgets[self.spec.actor_index[actor]]

    def units_in(self, area: str) -> tuple[Unit, ...]:
        """The units in ``area``, in id order."""
        known = self._queries.in_area
        found = known.get(area)
        if found is None:
            units = self.units
            found = known[area] = tuple(units[i] for i in sorted(self.at.get(area, ())))
        return found

    def hostile_units_in(self, area: str, actor: str) -> tuple[Unit, ...]:
        """The units in ``area`` hostile to ``actor``, in id order."""
        key = (area, self.spec.actor_by_id[actor].side)
        known = self._queries.hostile
        found = known.get(key)
        if found is None:
            hostile = self.spec.hostile_pairs
            found = known[key] = tuple(
                u for u in self.units_in(area) if (actor, u.owner) in hostile
            )
        return found

    def hostile_strength(self, area: str, actor: str) -> float:
        """The total strength of the units in ``area`` hostile to ``actor`` (in id order)."""
        key = (area, self.spec.actor_by_id[actor].side)
        known = self._queries.hostile_strength
        found = known.get(key)
        if found is None:
            found = known[key] = sum(u.strength for u in self.hostile_units_in(area, actor))
        return found

    def pressure_on(self, area: str, actor: str) -> float:
        """The total strength of the units hostile to ``actor`` in the areas next to ``area``
        (summed over the neighbours in order, each one's units in id order)."""
        key = (area, self.spec.actor_by_id[actor].side)
        known = self._queries.pressure
        found = known.get(key)
        if found is None:
            found = known[key] = sum(
                u.strength
                for neighbour, _ in self.spec.neighbours[area]
                for u in self.hostile_units_in(neighbour, actor)
            )
        return found

    def defended_neighbours(self, area: str, actor: str) -> tuple[tuple[str, float], ...]:
        """The areas next to ``area`` holding forces hostile to ``actor``, in the order of
        the neighbours, each with its defence: their strength times the terrain's."""
        key = (area, self.spec.actor_by_id[actor].side)
        known = self._queries.defended
        found = known.get(key)
        if found is None:
            spec = self.spec
            found = known[key] = tuple(
                (
                    neighbour,
                    self.hostile_strength(neighbour, actor)
                    * spec.terrain_by_id[spec.area_by_id[neighbour].terrain].defense,
                )
                for neighbour, _ in spec.neighbours[area]
                if self.has_hostiles(neighbour, actor)
            )
        return found

    def has_hostiles(self, area: str, actor: str) -> bool:
        return bool(self.hostile_units_in(area, actor))

    def units_of(self, actor: str) -> tuple[Unit, ...]:
        """The units ``actor`` owns, in id order (sums of strength must not depend on the
        order a set happens to iterate in)."""
        known = self._queries.of_actor
        found = known.get(actor)
        if found is None:
            units = self.units
            found = known[actor] = tuple(units[i] for i in sorted(self.owned.get(actor, ())))
        return found

    @property
    def tallies(self) -> dict[Hashable, tuple[int, float]]:
        """See :attr:`UnitQueries.tallies`; kept by conditions on units."""
        return self._queries.tallies

    def _units_changed(self) -> None:
        self._queries = UnitQueries()

    def _place(self, unit: Unit) -> None:
        old = self.units.get(unit.id)
        if old is not None and old.area != unit.area:
            self.at[old.area] = self.at[old.area] - {unit.id}
        self.units[unit.id] = unit
        self.at[unit.area] = self.at.get(unit.area, _NO_UNITS) | {unit.id}
        self.owned[unit.owner] = self.owned.get(unit.owner, _NO_UNITS) | {unit.id}
        self._units_changed()

    def _take(self, unit_id: str) -> Unit:
        unit = self.units.pop(unit_id)
        self.at[unit.area] = self.at[unit.area] - {unit_id}
        self.owned[unit.owner] = self.owned[unit.owner] - {unit_id}
        self._units_changed()
        return unit

    def _record(self, event: Event) -> None:
        """Record a change of the state: every method that changes one goes through here."""
        self.events.append(event)
        self.revision += 1

    # ------------------------------------------------------------------ changing

    def set_track(self, track: str, scope: str, value: float, cause: str) -> None:
        slot = self.spec.track_slots[(track, scope)]
        before = self.tracks[slot]
        after = round(self.spec.track_by_id[track].clamp(value), _PRECISION)
        if after != before:
            self.tracks[slot] = after
            self._record(TrackChanged(self.turn, self.phase, cause, track, scope, before, after))

    def adjust_track(self, track: str, scope: str, by: float, cause: str) -> None:
        self.set_track(track, scope, self.track(track, scope) + by, cause)

    def set_flag(self, flag: str, is_set: bool, cause: str) -> None:
        if (flag in self.flags) != is_set:
            if is_set:
                self.flags.add(flag)
            else:
                self.flags.discard(flag)
            self._record(FlagChanged(self.turn, self.phase, cause, flag, is_set))

    def adjust_budget(self, actor: str, by: float, cause: str) -> None:
        slot = self.spec.actor_index[actor]
        before = self.budgets[slot]
        after = round(before + by, _PRECISION)
        if after != before:
            self.budgets[slot] = after
            self._record(BudgetChanged(self.turn, self.phase, cause, actor, before, after))

    def set_control(self, area: str, actor: str, cause: str) -> None:
        slot = self.spec.area_index[area]
        before = self.control[slot]
        if before != actor:
            self.control[slot] = actor
            self._record(ControlChanged(self.turn, self.phase, cause, area, before, actor))

    def add_unit(self, unit_type: str, owner: str, area: str, strength: float, cause: str) -> Unit:
        unit_id = f"{owner}-{unit_type}-{self.next_serial}"
        self.next_serial += 1
        unit = Unit(unit_id, unit_type, owner, area, round(strength, _PRECISION))
        self._place(unit)
        self._record(
            UnitAdded(self.turn, self.phase, cause, unit_id, unit_type, owner, area, unit.strength)
        )
        return unit

    def remove_unit(self, unit_id: str, cause: str) -> None:
        unit = self._take(unit_id)
        self._record(UnitRemoved(self.turn, self.phase, cause, unit.id, unit.owner, unit.area))

    def move_unit(self, unit_id: str, path: tuple[str, ...], cause: str) -> None:
        """Move along ``path`` (origin first) under the movement rules."""
        unit = self.units[unit_id]
        self._place(unit._replace(area=path[-1]))
        self._record(UnitMoved(self.turn, self.phase, cause, unit.id, unit.owner, path))

    def relocate_unit(self, unit_id: str, area: str, cause: str) -> None:
        """Put a unit somewhere by fiat (an effect), outside the movement rules."""
        unit = self.units[unit_id]
        if unit.area != area:
            self._place(unit._replace(area=area))
            self._record(
                UnitRelocated(self.turn, self.phase, cause, unit.id, unit.owner, unit.area, area)
            )

    def damage_unit(self, unit_id: str, loss: float, cause: str) -> None:
        """Take ``loss`` strength points off a unit; it is destroyed below the table's floor."""
        unit = self.units[unit_id]
        after = round(max(0.0, unit.strength - loss), _PRECISION)
        if after < self.spec.combat.destroyed_below:
            self._take(unit_id)
            self._record(
                UnitDestroyed(self.turn, self.phase, cause, unit.id, unit.owner, unit.area)
            )
        elif after != unit.strength:
            self.units[unit_id] = unit._replace(strength=after)
            self._units_changed()
            self._record(
                UnitDamaged(self.turn, self.phase, cause, unit.id, unit.owner, unit.strength, after)
            )

    def message(self, to: str, text: str, cause: str) -> None:
        self._record(MessageSent(self.turn, self.phase, cause, to, text))

    def advance_turn(self) -> None:
        """Move on to the next turn (a game's last turn leads to one past the calendar)."""
        self.turn += 1
        self.revision += 1

    def rung(self, theater: str) -> int:
        return int(self.track(ESCALATION_TRACK, theater))

    def set_rung(self, theater: str, rung: int, cause: str) -> None:
        """Move a theater's escalation to ``rung`` (clamped to the ladder)."""
        ladder = self.spec.ladder
        if ladder is None:
            return
        before = self.rung(theater)
        after = max(0, min(ladder.top, rung))
        if after != before:
            self.tracks[self.spec.track_slots[(ESCALATION_TRACK, theater)]] = float(after)
            self._record(
                EscalationChanged(
                    self.turn, self.phase, cause, theater, ladder.rungs[before], ladder.rungs[after]
                )
            )

    def set_red_line(self, red_line: str, status: str, actor: str, cause: str) -> None:
        """Move a red line to ``status``, recording the step."""
        spec = self.spec.red_line_by_id[red_line]
        slot = self.spec.red_line_index[red_line]
        current = self.red_lines[slot]
        if current.status == status:
            return
        if status == "crossed":
            self.red_lines[slot] = RedLineState(status, self.turn, self.turn, actor)
        else:
            self.red_lines[slot] = current._replace(status=status, since=self.turn)
        self._record(
            RedLineChanged(
                self.turn,
                self.phase,
                cause,
                red_line,
                status,
                spec.declared_by,
                actor,
                spec.visibility == "private",
            )
        )

    def red_line(self, red_line: str) -> RedLineState:
        return self.red_lines[self.spec.red_line_index[red_line]]

    def raise_event(self, name: str, cause: str) -> None:
        self.raised.append(name)
        self._record(NamedEventRaised(self.turn, self.phase, cause, name))

    def end_game(self, reason: str, cause: str) -> None:
        if not self.finished:
            self.finished = True
            self.end_reason = reason
            self._record(GameEnded(self.turn, self.phase, cause, reason))
