"""Outcome measures: declared in the ruleset, observed every turn, folded at the end.

Like Mesa's ``DataCollector``, measurement is declarative: each :class:`OutcomeSpec` says
what to observe and how to fold the observations (final, min, max or mean), so analyses
compare the same measures across games without code written for a scenario.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.core.spec import GameSpec, OutcomeSpec
from engine.core.state import GameState

Observer = Callable[[GameState], float]


def _observer(spec: GameSpec, start: GameState, outcome: OutcomeSpec) -> Observer:
    if outcome.kind == "track":
        slot = spec.track_slots[(outcome.track, outcome.scope)]
        return lambda state: state.tracks[slot]
    if outcome.kind == "strength":
        actors = spec.actor_by_id

        def strength(state: GameState) -> float:
            return round(
                sum(
                    u.strength
                    for u in state.units
                    if (not outcome.actor or u.owner == outcome.actor)
                    and (not outcome.side or actors[u.owner].side == outcome.side)
                ),
                6,
            )

        return strength
    if outcome.kind == "control_changed":
        slots = [
            i
            for i, area in enumerate(spec.areas)
            if not outcome.theater or area.theater == outcome.theater
        ]
        first = start.control
        return lambda state: float(sum(1 for i in slots if state.control[i] != first[i]))
    flag = outcome.flag
    return lambda state: 1.0 if flag in state.flags else 0.0


class OutcomeRecorder:
    """Observes each state of a game and reports the folded outcome measures."""

    def __init__(self, spec: GameSpec, start: GameState) -> None:
        self.spec = spec
        self._observers = [(o, _observer(spec, start, o)) for o in spec.outcomes]
        self._series: dict[str, list[float]] = {o.id: [] for o in spec.outcomes}
        self.observe(start)

    def observe(self, state: GameState) -> None:
        for outcome, observe in self._observers:
            self._series[outcome.id].append(observe(state))

    def series(self, outcome_id: str) -> tuple[float, ...]:
        return tuple(self._series[outcome_id])

    def results(self) -> dict[str, float]:
        """Each measure folded by its statistic, in the ruleset's order."""
        folded: dict[str, float] = {}
        for outcome, _ in self._observers:
            values = self._series[outcome.id]
            if outcome.statistic == "final":
                value = values[-1]
            elif outcome.statistic == "min":
                value = min(values)
            elif outcome.statistic == "max":
                value = max(values)
            else:
                value = sum(values) / len(values)
            folded[outcome.id] = round(value, 6)
        return folded
