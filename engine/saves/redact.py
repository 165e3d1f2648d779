"""What one actor may know of a saved game's past, and nothing more.

A team reviewing its game, or a facilitator handing out a debrief, must not reveal what
the team never saw.  Each turn of an actor's history is built from the same observation a
player is given during play (:func:`~engine.core.observation.observe`): its own orders and
its own computer player's reasons, the events it could see, and its belief state after
the turn.  Other actors' orders, reasons, hidden units and private red lines are absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core import Event, GameState, Order
from engine.core.observation import observe
from engine.saves.replay import Replay


@dataclass(frozen=True)
class SideTurn:
    """One turn as ``actor`` saw it."""

    actor: str
    turn: int
    date: str
    orders: tuple[Order, ...]
    reasons: tuple[str, ...]
    events: tuple[Event, ...]
    state: GameState
    """The actor's belief state after the turn (and the controls after it)."""


def side_turn(replay: Replay, actor: str, turn: int) -> SideTurn:
    """Turn ``turn`` of ``replay`` as ``actor`` saw it."""
    if actor not in replay.spec.actor_by_id:
        raise ValueError(f"{replay.spec.scenario_id} has no actor '{actor}'")
    saved = replay.saved.turn(turn)
    before, after = replay.state_at(turn), replay.state_at(turn + 1)
    seen = observe(replay.spec, after, actor, replay.events_of(turn), before)
    return SideTurn(
        actor=actor,
        turn=turn,
        date=saved.date,
        orders=tuple(o for o in saved.orders if o.actor == actor),
        reasons=tuple(reason for who, reason in saved.reasons if who == actor),
        events=seen.events,
        state=seen.state,
    )


def side_history(replay: Replay, actor: str) -> list[SideTurn]:
    """Every played turn of ``replay`` as ``actor`` saw it."""
    return [side_turn(replay, actor, n) for n in range(1, replay.last_turn + 1)]
