"""Play whole games headless: a bot per actor, turn after turn, every turn recorded.

This is the loop that ``redline run``, ``redline play`` (headless or with a person playing
one actor at the terminal), the tests and the benchmarks share.  Each bot is given only its
actor's observation and its own generator.  It does no I/O; callers decide what to print or
write.  A bot that stands for a person may raise :class:`StopGame` to end the game early.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from engine.ai.bot import Bot
from engine.core import (
    Event,
    GameState,
    Order,
    OrderResult,
    OutcomeRecorder,
    Rules,
    initial_state,
    resolve_turn,
)
from engine.core.observation import Observer
from engine.core.rng import Rng, derive_seed


class StopGame(Exception):
    """Raised by a bot's ``decide`` to stop the game before the current turn is played.

    :func:`play_game` returns the turns played so far, with ``reason`` as the record's
    ``stopped``; the orders already decided for the unplayed turn are dropped.
    """

    def __init__(self, reason: str = "stopped") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TurnRecord:
    """One adjudicated turn: what was ordered, what happened, and the state it led to."""

    turn: int
    date: str
    orders: tuple[Order, ...]
    results: tuple[OrderResult, ...]
    events: tuple[Event, ...]
    state: GameState
    """The state after the turn."""
    reasons: tuple[tuple[str, str], ...] = ()
    """``(actor, reason)`` for every decision a bot explained this turn."""

    @cached_property
    def digest(self) -> str:
        """The digest of the state after the turn, worked out when first asked for: saves
        and replays check it, a batch of games for analysis has no use for it."""
        return self.state.digest()


@dataclass(frozen=True)
class GameRecord:
    """A finished (or stopped) game: its seed, its turns, where it ended and its outcomes."""

    scenario: str
    seed: int
    bots: Mapping[str, str]
    turns: tuple[TurnRecord, ...]
    final: GameState
    outcomes: Mapping[str, float]
    stopped: str = ""
    """Why the game stopped before its end (a player quit, input ran out), or empty."""


def bot_rng(seed: int, actor: str, turn: int) -> Rng:
    """The generator an actor's bot uses in one turn of a game: derived from the game seed,
    the actor and the turn, so that a game resumed from a save decides as it would have."""
    return Rng.from_seed(derive_seed(seed, f"bot:{actor}:turn:{turn}"))


@dataclass(frozen=True)
class Position:
    """A game between turns, with what its players and its outcome measures need to go on.

    ``states`` runs from the state at the start of turn 1 to the current one; the bots see
    ``last_events`` (the last turn's, then any control's) and the state before it.
    """

    states: tuple[GameState, ...]
    last_events: tuple[Event, ...] = ()

    @property
    def state(self) -> GameState:
        return self.states[-1]

    @property
    def previous(self) -> GameState | None:
        return self.states[-2] if len(self.states) > 1 else None


def play_game(
    rules: Rules,
    bots: Mapping[str, Bot],
    seed: int | None = None,
    max_turns: int | None = None,
    on_turn: Callable[[TurnRecord, GameState], None] | None = None,
    start: Position | None = None,
) -> GameRecord:
    """Play from the start, or from ``start`` (a game resumed from a save), until the game
    ends, ``max_turns`` more turns have been played or a bot raises :class:`StopGame`.

    The record holds the turns played by this call; its outcomes cover the whole game.
    """
    spec = rules.spec
    game_seed = spec.seed if seed is None else seed
    if start is None:
        start = Position((initial_state(spec, game_seed),))
    state = start.state
    recorder = OutcomeRecorder(spec, start.states[0])
    for later in start.states[1:]:
        recorder.observe(later)
    turns: list[TurnRecord] = []
    last_events = start.last_events
    previous = start.previous
    stopped = ""
    while not state.finished and (max_turns is None or len(turns) < max_turns):
        orders: list[Order] = []
        reasons: list[tuple[str, str]] = []
        observer = Observer(spec, state, last_events, previous)
        try:
            for actor in spec.actors:
                seen = observer.of(actor.id)
                generator = bot_rng(game_seed, actor.id, state.turn)
                decision = bots[actor.id].decide(seen, rules, generator)
                orders.extend(o for o in decision.orders if o.actor == actor.id)
                reasons.extend((actor.id, reason) for reason in decision.reasons)
        except StopGame as stop:
            stopped = stop.reason
            break
        result = resolve_turn(rules, state, orders)
        record = TurnRecord(
            state.turn,
            spec.calendar.label(state.turn),
            tuple(orders),
            result.results,
            result.events,
            result.state,
            tuple(reasons),
        )
        last_events = result.events
        turns.append(record)
        previous, state = state, result.state
        recorder.observe(state)
        if on_turn is not None:
            on_turn(record, state)
    return GameRecord(
        spec.scenario_id,
        game_seed,
        {actor: bot.name for actor, bot in sorted(bots.items())},
        tuple(turns),
        state,
        recorder.results(),
        stopped,
    )
