"""The white cell: a facilitator's injects and overrides, applied between turns.

A facilitated exercise needs to fire an inject the scenario holds in reserve, or to set a
result right by hand ("the strike missed", "Poland holds the corridor").  Both are
*controls*: an :class:`Inject` fires one of the game's triggers whatever its condition, an
:class:`Override` applies effects from the rules language.  Each carries the reason the
facilitator gave.  Controls are applied between turns, after the adjudication of the turn
just played and before the orders of the next, and every change they make is an event whose
cause starts with ``control:``.  Saves record them at exactly that point, so a replay
applies them again and reaches the same digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.core import language as lang
from engine.core.adjudicate import TurnResult
from engine.core.board import Board
from engine.core.compiled import Context, compile_effects
from engine.core.rules import Rules
from engine.core.state import GameState
from engine.core.triggers import fire_now, run_raised

CONTROL_PHASE = "control"
"""The phase name that control events carry."""


@dataclass(frozen=True, slots=True)
class Inject:
    """Fire the trigger ``trigger`` now, whatever its condition (a ``once`` one is spent)."""

    trigger: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Override:
    """Apply ``effects`` now: the facilitator's correction of an adjudicated result."""

    effects: tuple[lang.Effect, ...]
    reason: str


Control = Inject | Override


class UnknownTrigger(ValueError):
    """An inject names a trigger the game does not have."""


def apply_controls(
    rules: Rules, state: GameState, controls: Sequence[Control], first: int = 1
) -> TurnResult:
    """Apply ``controls`` in order to ``state``.  Pure, like :func:`resolve_turn`.

    The events carry the number of the turn about to be played (``state.turn``), the phase
    ``control`` and the cause ``control:N``, N counting the controls between two turns from
    ``first`` (controls given one at a time continue the count); named events the controls
    raise run their listeners at once.
    """
    board = Board(rules.spec, state)
    board.phase = CONTROL_PHASE
    for index, control in enumerate(controls, start=first):
        cause = f"control:{index}"
        if isinstance(control, Inject):
            trigger = rules.triggers.by_id.get(control.trigger)
            if trigger is None:
                raise UnknownTrigger(f"no trigger '{control.trigger}' to inject")
            fire_now(board, trigger, cause)
        else:
            compile_effects(rules.spec, control.effects)(board, Context(cause=cause))
        run_raised(rules.triggers, board)
    return TurnResult(board.freeze(), tuple(board.events), ())
