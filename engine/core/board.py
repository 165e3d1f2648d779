"""The mutable working copy of a state while one turn is adjudicated.

Adjudication thaws the frozen :class:`~engine.core.state.GameState` into a ``Board``, changes
it through the methods below (each of which records the matching event), and freezes it
again.  Keeping every mutation behind these methods is what guarantees that every change
has an event with a cause.
"""

from __future__ import annotations

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


class Board:
    """A game state being changed, plus the events that record each change."""

    __slots__ = (
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
        "rng",
        "spec",
        "tracks",
        "trigger_turns",
        "turn",
        "units",
    )

    def __init__(self, spec: GameSpec, state: GameState) -> None:
        self.spec = spec
        self.turn = state.turn
        self.units: dict[str, Unit] = {unit.id: unit for unit in state.units}
        self.at: dict[str, set[str]] = {}
        """Unit ids by area, kept in step with ``units`` by every method that moves one."""
        self.owned: dict[str, set[str]] = {}
        """Unit ids by owner, kept in step with ``units`` likewise."""
        for unit in state.units:
            self.at.setdefault(unit.area, set()).add(unit.id)
            self.owned.setdefault(unit.owner, set()).add(unit.id)
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

    def units_in(self, area: str) -> list[Unit]:
        """The units in ``area``, in id order."""
        units = self.units
        return [units[i] for i in sorted(self.at.get(area, ()))]

    def hostile_units_in(self, area: str, actor: str) -> list[Unit]:
        hostile = self.spec.hostile_pairs
        return [u for u in self.units_in(area) if (actor, u.owner) in hostile]

    def has_hostiles(self, area: str, actor: str) -> bool:
        hostile, units = self.spec.hostile_pairs, self.units
        return any((actor, units[i].owner) in hostile for i in self.at.get(area, ()))

    def units_of(self, actor: str) -> list[Unit]:
        """The units ``actor`` owns, in id order (sums of strength must not depend on the
        order a set happens to iterate in)."""
        units = self.units
        return [units[i] for i in sorted(self.owned.get(actor, ()))]

    def _place(self, unit: Unit) -> None:
        old = self.units.get(unit.id)
        if old is not None and old.area != unit.area:
            self.at[old.area].discard(unit.id)
        self.units[unit.id] = unit
        self.at.setdefault(unit.area, set()).add(unit.id)
        self.owned.setdefault(unit.owner, set()).add(unit.id)

    def _take(self, unit_id: str) -> Unit:
        unit = self.units.pop(unit_id)
        self.at[unit.area].discard(unit_id)
        self.owned[unit.owner].discard(unit_id)
        return unit

    # ------------------------------------------------------------------ changing

    def set_track(self, track: str, scope: str, value: float, cause: str) -> None:
        slot = self.spec.track_slots[(track, scope)]
        before = self.tracks[slot]
        after = round(self.spec.track_by_id[track].clamp(value), _PRECISION)
        if after != before:
            self.tracks[slot] = after
            self.events.append(
                TrackChanged(self.turn, self.phase, cause, track, scope, before, after)
            )

    def adjust_track(self, track: str, scope: str, by: float, cause: str) -> None:
        self.set_track(track, scope, self.track(track, scope) + by, cause)

    def set_flag(self, flag: str, is_set: bool, cause: str) -> None:
        if (flag in self.flags) != is_set:
            if is_set:
                self.flags.add(flag)
            else:
                self.flags.discard(flag)
            self.events.append(FlagChanged(self.turn, self.phase, cause, flag, is_set))

    def adjust_budget(self, actor: str, by: float, cause: str) -> None:
        slot = self.spec.actor_index[actor]
        before = self.budgets[slot]
        after = round(before + by, _PRECISION)
        if after != before:
            self.budgets[slot] = after
            self.events.append(BudgetChanged(self.turn, self.phase, cause, actor, before, after))

    def set_control(self, area: str, actor: str, cause: str) -> None:
        slot = self.spec.area_index[area]
        before = self.control[slot]
        if before != actor:
            self.control[slot] = actor
            self.events.append(ControlChanged(self.turn, self.phase, cause, area, before, actor))

    def add_unit(self, unit_type: str, owner: str, area: str, strength: float, cause: str) -> Unit:
        unit_id = f"{owner}-{unit_type}-{self.next_serial}"
        self.next_serial += 1
        unit = Unit(unit_id, unit_type, owner, area, round(strength, _PRECISION))
        self._place(unit)
        self.events.append(
            UnitAdded(self.turn, self.phase, cause, unit_id, unit_type, owner, area, unit.strength)
        )
        return unit

    def remove_unit(self, unit_id: str, cause: str) -> None:
        unit = self._take(unit_id)
        self.events.append(
            UnitRemoved(self.turn, self.phase, cause, unit.id, unit.owner, unit.area)
        )

    def move_unit(self, unit_id: str, path: tuple[str, ...], cause: str) -> None:
        """Move along ``path`` (origin first) under the movement rules."""
        unit = self.units[unit_id]
        self._place(unit._replace(area=path[-1]))
        self.events.append(UnitMoved(self.turn, self.phase, cause, unit.id, unit.owner, path))

    def relocate_unit(self, unit_id: str, area: str, cause: str) -> None:
        """Put a unit somewhere by fiat (an effect), outside the movement rules."""
        unit = self.units[unit_id]
        if unit.area != area:
            self._place(unit._replace(area=area))
            self.events.append(
                UnitRelocated(self.turn, self.phase, cause, unit.id, unit.owner, unit.area, area)
            )

    def damage_unit(self, unit_id: str, loss: float, cause: str) -> None:
        """Take ``loss`` strength points off a unit; it is destroyed below the table's floor."""
        unit = self.units[unit_id]
        after = round(max(0.0, unit.strength - loss), _PRECISION)
        if after < self.spec.combat.destroyed_below:
            self._take(unit_id)
            self.events.append(
                UnitDestroyed(self.turn, self.phase, cause, unit.id, unit.owner, unit.area)
            )
        elif after != unit.strength:
            self.units[unit_id] = unit._replace(strength=after)
            self.events.append(
                UnitDamaged(self.turn, self.phase, cause, unit.id, unit.owner, unit.strength, after)
            )

    def message(self, to: str, text: str, cause: str) -> None:
        self.events.append(MessageSent(self.turn, self.phase, cause, to, text))

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
            self.events.append(
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
        self.events.append(
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
        self.events.append(NamedEventRaised(self.turn, self.phase, cause, name))

    def end_game(self, reason: str, cause: str) -> None:
        if not self.finished:
            self.finished = True
            self.end_reason = reason
            self.events.append(GameEnded(self.turn, self.phase, cause, reason))
