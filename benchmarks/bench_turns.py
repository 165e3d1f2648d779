"""Headless turns per second on one core, and where a turn's time goes.

Measurements on one scenario (``--scenario``, default ``scenarios/tutorial.yaml``), over
``--games`` seeds.  One game per seed is played first with each actor's computer player,
untimed; its orders are kept and the game is replayed to recover the state at the start of
every turn, the state before it and the events the players saw (each replayed digest is
checked against the one recorded, so the replay is the same game).  Then:

(a) **resolve_turn alone.**  ``resolve_turn(rules, state, orders)`` for every recorded
    turn of every seed: the adjudication, without the players.
(b) **Whole games.**  ``play_game`` with each actor's computer player (its doctrine where
    the scenario has one, the random bot otherwise), one game per seed: observations,
    decisions, legality checks, adjudication and the outcome recorder, as an analyst's
    batch run pays for them.  Reported as games/s and turns/s.
(c) **Observations alone.**  For every recorded turn, the fog: an ``Observer`` of the turn
    and every actor's observation from it, as ``play_game`` builds them.
(d) **Observations and decisions.**  (c), and every actor's bot deciding on its
    observation with the generator ``play_game`` gives it; the decisions are (d) - (c).

The output gives the share of a whole-game turn that adjudication, observations and
decisions take, the rest being the loop's bookkeeping, and sets each against the time a
turn may take at the 200 games a second the design aims at.

Each measurement repeats whole passes over all the seeds until at least ``--seconds`` have
passed (at least one pass) and reports the overall rate with the median, slowest and
fastest pass.  The garbage collector stays on, as in real use.  The process is pinned to
CPU 0 with ``os.sched_setaffinity`` where the platform has it, and the output says whether
it was.  ``--profile N`` adds a cProfile run of one pass of each measurement and prints
the N functions under ``engine/`` with the most cumulative time, and the N functions of any
origin with the most self time.

Run from anywhere::

    .venv/bin/python benchmarks/bench_turns.py --games 200 --seconds 10 --profile 12
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from common import REPO, machine_lines, pin_to_one_core, profile_lines

from engine.ai.bot import Bot
from engine.ai.players import make_bots
from engine.core import Event, GameState, Order, Rules, initial_state, resolve_turn
from engine.core.observation import Observer
from engine.runner import bot_rng, play_game

DEFAULT_SCENARIO = REPO / "scenarios" / "tutorial.yaml"
TARGET_GAMES_PER_SECOND = 200
"""What the design asks of the default scenario with doctrine bots, per core."""


@dataclass(frozen=True)
class RecordedTurn:
    """One turn of a recorded game, with everything its players were shown."""

    seed: int
    state: GameState
    """The state at the start of the turn."""
    orders: tuple[Order, ...]
    previous: GameState | None
    last_events: tuple[Event, ...]


@dataclass(frozen=True)
class Measurement:
    """Passes over all seeds: work done and seconds taken by each pass."""

    name: str
    turns_per_pass: int
    games_per_pass: int
    pass_seconds: tuple[float, ...]

    @property
    def total_seconds(self) -> float:
        return sum(self.pass_seconds)

    @property
    def turns_per_second(self) -> float:
        return self.turns_per_pass * len(self.pass_seconds) / self.total_seconds

    @property
    def games_per_second(self) -> float:
        return self.games_per_pass * len(self.pass_seconds) / self.total_seconds

    def pass_rates(self) -> tuple[float, float, float]:
        """Turns/s of the median, slowest and fastest pass."""
        rates = [self.turns_per_pass / s for s in self.pass_seconds]
        return statistics.median(rates), min(rates), max(rates)


def load_players(scenario: Path) -> tuple[Rules, dict[str, Bot]]:
    """Load a scenario once (untimed): its compiled rules and the bots ``redline run`` would
    use, the doctrine where there is one and the random bot otherwise."""
    from engine.content import load_game

    game = load_game(scenario)
    rules = Rules(game.spec)
    return rules, make_bots(rules, game.doctrine)


def record_turns(
    rules: Rules, policies: Mapping[str, Bot], seeds: Sequence[int]
) -> list[RecordedTurn]:
    """Play one game per seed and keep every turn's starting state and orders.

    The game is replayed from its orders to recover the states; every replayed digest must
    equal the one ``play_game`` recorded, or this raises ``RuntimeError``.
    """
    recorded: list[RecordedTurn] = []
    for seed in seeds:
        game = play_game(rules, policies, seed=seed)
        state = initial_state(rules.spec, seed)
        previous: GameState | None = None
        last_events: tuple[Event, ...] = ()
        for turn in game.turns:
            recorded.append(RecordedTurn(seed, state, turn.orders, previous, last_events))
            result = resolve_turn(rules, state, turn.orders)
            previous, state, last_events = state, result.state, result.events
            if state.digest() != turn.digest:
                raise RuntimeError(f"seed {seed}, turn {turn.turn}: the replay diverged")
    return recorded


def _passes(run_pass: Callable[[], None], seconds: float) -> tuple[float, ...]:
    """Run whole passes until ``seconds`` have passed (at least one); time each one."""
    clock = time.perf_counter
    durations: list[float] = []
    while not durations or sum(durations) < seconds:
        start = clock()
        run_pass()
        durations.append(clock() - start)
    return tuple(durations)


def resolve_pass(rules: Rules, turns: Sequence[RecordedTurn]) -> Callable[[], None]:
    """One pass of measurement (a): resolve every recorded turn once."""

    def run() -> None:
        for turn in turns:
            resolve_turn(rules, turn.state, turn.orders)

    return run


def observe_pass(rules: Rules, turns: Sequence[RecordedTurn]) -> Callable[[], None]:
    """One pass of measurement (c): every actor's observation of every recorded turn."""
    actors = [a.id for a in rules.spec.actors]

    def run() -> None:
        for turn in turns:
            observer = Observer(rules.spec, turn.state, turn.last_events, turn.previous)
            for actor in actors:
                observer.of(actor)

    return run


def players_pass(
    rules: Rules, policies: Mapping[str, Bot], turns: Sequence[RecordedTurn]
) -> Callable[[], None]:
    """One pass of measurement (d): every actor's observation of every recorded turn and
    its bot's decision on it, with the generator ``play_game`` gives it.  (The observations
    are made afresh each pass: a decision's answers about the units are kept with them.)"""
    actors = [a.id for a in rules.spec.actors]

    def run() -> None:
        for turn in turns:
            observer = Observer(rules.spec, turn.state, turn.last_events, turn.previous)
            for actor in actors:
                generator = bot_rng(turn.seed, actor, turn.state.turn)
                policies[actor].decide(observer.of(actor), rules, generator)

    return run


def games_pass(
    rules: Rules, policies: Mapping[str, Bot], seeds: Sequence[int]
) -> Callable[[], None]:
    """One pass of measurement (b): play one whole game per seed."""

    def run() -> None:
        for seed in seeds:
            play_game(rules, policies, seed=seed)

    return run


def measure_part(name: str, run: Callable[[], None], turns: int, seconds: float) -> Measurement:
    """Measurements (a), (c) and (d): a warm-up pass, then timed passes."""
    run()  # warm-up, untimed
    return Measurement(name, turns, 0, _passes(run, seconds))


def measure_games(
    rules: Rules,
    policies: Mapping[str, Bot],
    seeds: Sequence[int],
    turns_per_pass: int,
    seconds: float,
) -> Measurement:
    run = games_pass(rules, policies, seeds)
    run()  # warm-up, untimed
    return Measurement("play_game", turns_per_pass, len(seeds), _passes(run, seconds))


def profile_report(title: str, run_pass: Callable[[], None], top: int) -> str:
    """Profile one pass; the top engine functions by cumulative time and all by self time."""
    profiler = cProfile.Profile()
    profiler.runcall(run_pass)
    return profile_lines(profiler, f"one pass of {title}", top)


def _rate_lines(measurement: Measurement) -> list[str]:
    median, slowest, fastest = measurement.pass_rates()
    return [
        f"  {measurement.turns_per_second:,.0f} turns/s "
        f"({1e6 / measurement.turns_per_second:,.0f} us/turn); "
        f"per pass: median {median:,.0f}, slowest {slowest:,.0f}, fastest {fastest:,.0f} "
        f"turns/s",
        f"  {len(measurement.pass_seconds)} passes of {measurement.turns_per_pass} turns "
        f"in {measurement.total_seconds:.2f} s",
    ]


def budget_lines(
    turns_a_game: int,
    games: Measurement,
    resolve: Measurement,
    observe: Measurement,
    players: Measurement,
) -> str:
    """Where a whole-game turn's time goes, against the time a turn may take at the target."""
    turn_us = 1e6 / games.turns_per_second
    allowed_us = 1e6 / (TARGET_GAMES_PER_SECOND * turns_a_game)
    resolve_us = 1e6 / resolve.turns_per_second
    observe_us = 1e6 / observe.turns_per_second
    decide_us = 1e6 / players.turns_per_second - observe_us
    rest_us = turn_us - resolve_us - observe_us - decide_us
    lines = [
        f"where a whole-game turn's {turn_us:,.0f} us go "
        f"({TARGET_GAMES_PER_SECOND} games/s of {turns_a_game} turns allow {allowed_us:,.0f} us):"
    ]
    for name, part_us in (
        ("adjudication (a)", resolve_us),
        ("observations (c)", observe_us),
        ("decisions (d - c)", decide_us),
        ("the rest", rest_us),
    ):
        lines.append(
            f"  {name:<18} {part_us:>8,.0f} us  {100 * part_us / turn_us:>3.0f}%  "
            f"{part_us / allowed_us:>5.1f}x the allowance"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Headless turns per second on one core: resolve_turn alone, whole games, "
        "observations alone and decisions alone.",
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        default=DEFAULT_SCENARIO,
        help="scenario YAML file (default: scenarios/tutorial.yaml)",
    )
    parser.add_argument(
        "--games",
        type=int,
        default=200,
        metavar="N",
        help="number of seeds, one game each, in every pass (default: %(default)s)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        help="minimum time for each of the four measurements (default: %(default)s)",
    )
    parser.add_argument(
        "--first-seed",
        type=int,
        default=1,
        help="seeds are FIRST_SEED .. FIRST_SEED + N - 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="also profile one pass of each measurement and print the TOP functions "
        "(default: no profile)",
    )
    args = parser.parse_args(argv)
    if args.games < 1:
        parser.error("--games must be at least 1")
    if args.seconds < 0:
        parser.error("--seconds must not be negative")
    if args.profile < 0:
        parser.error("--profile must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pinning = pin_to_one_core()
    scenario: Path = args.scenario
    rules, policies = load_players(scenario)
    spec = rules.spec
    seeds = list(range(args.first_seed, args.first_seed + args.games))

    machine, code = machine_lines("bench_turns")
    print(machine)
    print(f"CPU: {pinning}")
    print(code)
    print(
        f"scenario {spec.scenario_id} ({scenario}): {len(spec.areas)} areas, "
        f"{len(spec.actors)} actors, {len(spec.forces)} units, {spec.turns} turns"
    )
    print(f"seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} games), at least {args.seconds:g} s each")

    start = time.perf_counter()
    turns = record_turns(rules, policies, seeds)
    recorded_in = time.perf_counter() - start
    orders = sum(len(t.orders) for t in turns)
    print(
        f"recorded {len(turns)} turns ({len(turns) / len(seeds):.1f} a game, "
        f"{orders / len(turns):.1f} orders a turn) in {recorded_in:.2f} s; replay digests match"
    )
    print()

    resolve = measure_part("resolve_turn", resolve_pass(rules, turns), len(turns), args.seconds)
    print("(a) resolve_turn alone, fixed pre-recorded orders (no players, no digest):")
    for line in _rate_lines(resolve):
        print(line)

    games = measure_games(rules, policies, seeds, len(turns), args.seconds)
    print("(b) whole games, play_game with every actor under its computer player:")
    print(f"  {games.games_per_second:,.1f} games/s ({1e3 / games.games_per_second:.2f} ms/game)")
    for line in _rate_lines(games):
        print(line)
    observe = measure_part("observe", observe_pass(rules, turns), len(turns), args.seconds)
    print("(c) observations alone, every actor's, from the recorded turns:")
    for line in _rate_lines(observe):
        print(line)
    players = measure_part(
        "players", players_pass(rules, policies, turns), len(turns), args.seconds
    )
    print("(d) observations and decisions, every actor's bot on its observation:")
    for line in _rate_lines(players):
        print(line)
    print()
    print(budget_lines(spec.turns, games, resolve, observe, players))

    if args.profile:
        print()
        print(profile_report("(a) resolve_turn alone", resolve_pass(rules, turns), args.profile))
        print()
        print(profile_report("(b) whole games", games_pass(rules, policies, seeds), args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
