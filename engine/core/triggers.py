"""Triggers: rules that fire effects when a condition holds or a named event is raised.

A ``triggers`` phase first runs every *state trigger* (one without ``on``) whose condition
holds, highest priority first (then by id).  Effects may raise named events with ``fire``;
those go through a queue, and each raised event runs the triggers listening ``on`` it.
Every step of a cascade is one level deeper than the step that caused it; past the
ruleset's ``cascade_limit`` that branch of the cascade is dropped (other cascades of the
phase go on) and a ``cascade_cut`` event names the chain of triggers that led there.  A
``once`` trigger is spent before its effects run (so it cannot re-fire itself); a
repeating one waits ``cooldown`` turns between firings.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from engine.core.board import Board
from engine.core.compiled import (
    Applier,
    Context,
    Predicate,
    compile_condition,
    compile_effects,
)
from engine.core.events import CascadeCut, TriggerFired
from engine.core.spec import GameSpec, TriggerSpec


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    spec: TriggerSpec
    when: Predicate
    apply: Applier
    context: Context


class TriggerSet:
    """All of a game's triggers, compiled once and sorted in firing order."""

    def __init__(self, spec: GameSpec) -> None:
        ordered = sorted(spec.triggers, key=lambda t: (-t.priority, t.id))
        compiled = [
            CompiledTrigger(
                t,
                compile_condition(spec, t.when),
                compile_effects(spec, t.effects),
                Context(cause=f"trigger:{t.id}"),
            )
            for t in ordered
        ]
        self.state_triggers: tuple[CompiledTrigger, ...] = tuple(
            t for t in compiled if not t.spec.on
        )
        handlers: dict[str, list[CompiledTrigger]] = {}
        for trigger in compiled:
            if trigger.spec.on:
                handlers.setdefault(trigger.spec.on, []).append(trigger)
        self.handlers: dict[str, tuple[CompiledTrigger, ...]] = {
            name: tuple(group) for name, group in handlers.items()
        }
        self.by_id: dict[str, CompiledTrigger] = {t.spec.id: t for t in compiled}
        self.limit = spec.cascade_limit


def _is_ready(board: Board, trigger: TriggerSpec) -> bool:
    last = board.trigger_turns.get(trigger.id)
    if last is None:
        return True
    if trigger.once:
        return False
    return board.turn - last >= trigger.cooldown


def fire_now(board: Board, trigger: CompiledTrigger, cause: str) -> None:
    """Fire ``trigger`` whatever its condition, as a facilitator's inject does.

    It counts as fired this turn (a ``once`` trigger is spent) and its effects run in the
    trigger's own context; the caller handles the named events they raise.
    """
    board.trigger_turns[trigger.spec.id] = board.turn
    board.events.append(TriggerFired(board.turn, board.phase, cause, trigger.spec.id))
    trigger.apply(board, trigger.context)


def _try(board: Board, trigger: CompiledTrigger) -> bool:
    if board.finished or not _is_ready(board, trigger.spec):
        return False
    if not trigger.when(board, trigger.context):
        return False
    fire_now(board, trigger, trigger.context.cause)
    return True


class _Cascade:
    """The queue of named events waiting for their listeners, with each one's depth and the
    chain of triggers that raised it."""

    def __init__(self, triggers: TriggerSet, board: Board) -> None:
        self.triggers = triggers
        self.board = board
        self.queue: deque[tuple[str, int, tuple[str, ...]]] = deque()

    def take_raised(self, depth: int, chain: tuple[str, ...]) -> None:
        board = self.board
        for name in board.raised:
            self.queue.append((name, depth, chain))
        board.raised.clear()

    def run(self) -> None:
        board, queue = self.board, self.queue
        while queue:
            name, depth, chain = queue.popleft()
            listeners: Sequence[CompiledTrigger] = self.triggers.handlers.get(name, ())
            if depth > self.triggers.limit:
                board.events.append(
                    CascadeCut(board.turn, board.phase, f"event:{name}", (*chain, name))
                )
                continue
            for trigger in listeners:
                if _try(board, trigger):
                    self.take_raised(depth + 1, (*chain, name, trigger.spec.id))


def run_triggers(triggers: TriggerSet, board: Board) -> None:
    """Run one triggers phase on ``board``: state triggers, then the named-event queue."""
    cascade = _Cascade(triggers, board)
    cascade.take_raised(1, ())
    for trigger in triggers.state_triggers:
        if _try(board, trigger):
            cascade.take_raised(1, (trigger.spec.id,))
    cascade.run()


def run_raised(triggers: TriggerSet, board: Board) -> None:
    """Handle the named events raised outside a triggers phase (by a facilitator's inject
    or override), with the same cascade limit."""
    cascade = _Cascade(triggers, board)
    cascade.take_raised(1, ())
    cascade.run()
