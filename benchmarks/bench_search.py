"""The search bot: what a decision costs, and whether it plays better than the doctrine.

Two measurements on one scenario (``--scenario``, default ``scenarios/default.yaml``):

(a) **Time per decision.**  One game is played first with every actor under its computer
    player (its doctrine where the scenario has one, the random bot otherwise), untimed,
    and the state and last events at the start of the turns in ``--turns`` are kept.  For
    each actor in ``--actors`` and each search level, the search bot then decides from
    that actor's observation of each kept state, with a fresh generator per decision; the
    output gives the median, fastest and slowest decision, the level's budget (candidates
    x rollouts x horizon) and the cost per simulated turn.  Pinned to CPU 0 where the
    platform allows it, as ``bench_turns.py`` is.
(b) **A measured match.**  ``--games`` seeded games (seeds ``--first-seed`` on), each
    played twice with the same seed: once with every actor under its computer player (the
    baseline) and once with ``--actor`` played by the search bot at ``--level`` (or the
    budget given by ``--candidates``/``--rollouts``/``--horizon``), everything else as in the
    baseline.  For every outcome measure of the scenario, and for the search bot's own
    evaluation of the final position (:class:`engine.ai.search.Evaluator`, with each
    theater's peak rung over the game) and its terms, it prints the mean of each arm with a
    95% confidence interval, and the mean paired difference (search minus baseline, same
    seed) with its 95% confidence interval (normal approximation, as ``redline compare``).
    Games run in ``--workers`` processes (not pinned).

Run from anywhere::

    .venv/bin/python benchmarks/bench_search.py                      # both, defaults
    .venv/bin/python benchmarks/bench_search.py --skip-match         # (a) only
    .venv/bin/python benchmarks/bench_search.py --skip-timing --games 200 --workers 2
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from common import REPO, cpu_model, engine_fingerprint, pin_to_one_core

from engine.ai.bot import Bot
from engine.ai.doctrine import DoctrineSet
from engine.ai.players import make_bots
from engine.ai.search import SEARCH_LEVELS, TERMS, Evaluator, SearchBot, SearchLevel
from engine.content import load_game
from engine.core import Event, GameState, Rules
from engine.core.observation import observe
from engine.core.rng import Rng, derive_seed
from engine.runner import TurnRecord, play_game

DEFAULT_SCENARIO = REPO / "scenarios" / "default.yaml"
Z95 = 1.959964


@lru_cache(maxsize=4)
def load(path: str) -> tuple[Rules, DoctrineSet | None]:
    game = load_game(path)
    return Rules(game.spec), game.doctrine


def baseline_bots(rules: Rules, doctrine: DoctrineSet | None) -> dict[str, Bot]:
    """Every actor under its computer player: doctrine where there is one, else random."""
    return make_bots(rules, doctrine)


# ------------------------------------------------------------------ (a) time per decision


def sample_positions(
    rules: Rules, doctrine: DoctrineSet | None, seed: int, turns: Sequence[int]
) -> list[tuple[GameState, tuple[Event, ...]]]:
    """The state (and last turn's events) at the start of each of ``turns`` in one game."""
    kept: dict[int, tuple[GameState, tuple[Event, ...]]] = {}
    wanted = set(turns)

    def keep(record: TurnRecord, state: GameState) -> None:
        if state.turn in wanted:
            kept[state.turn] = (state, record.events)

    from engine.core import initial_state

    if 1 in wanted:
        kept[1] = (initial_state(rules.spec, seed), ())
    play_game(
        rules, baseline_bots(rules, doctrine), seed=seed, max_turns=max(turns) - 1, on_turn=keep
    )
    return [kept[t] for t in sorted(kept)]


def time_decisions(
    rules: Rules,
    doctrine: DoctrineSet | None,
    actor: str,
    level: str,
    positions: Sequence[tuple[GameState, tuple[Event, ...]]],
) -> list[float]:
    bot = SearchBot.for_actor(rules, doctrine, actor, level)
    seconds = []
    for index, (state, events) in enumerate(positions):
        seen = observe(rules.spec, state, actor, events)
        rng = Rng.from_seed(derive_seed(index, f"bench:{actor}"))
        start = time.perf_counter()
        bot.decide(seen, rules, rng)
        seconds.append(time.perf_counter() - start)
    return seconds


def run_timing(args: argparse.Namespace, rules: Rules, doctrine: DoctrineSet | None) -> None:
    turns = [int(t) for t in args.turns.split(",")]
    positions = sample_positions(rules, doctrine, args.timing_seed, turns)
    print(
        f"(a) time per decision, seed {args.timing_seed}, at the start of turns "
        f"{', '.join(str(s.turn) for s, _ in positions)} ({len(positions)} decisions each)"
    )
    print(
        f"  {'actor':<8} {'level':<7} {'budget (K+1)xNxH':>18} {'iterations':>10} "
        f"{'median s':>9} {'min s':>7} {'max s':>7} {'ms/sim. turn':>12}"
    )
    for actor in args.actors.split(","):
        for name, level in SEARCH_LEVELS.items():
            seconds = time_decisions(rules, doctrine, actor, name, positions)
            median = statistics.median(seconds)
            budget = f"{level.candidates + 1}x{level.rollouts}x{level.horizon}"
            print(
                f"  {actor:<8} {name:<7} {budget:>18} {level.iterations:>10} "
                f"{median:>9.3f} {min(seconds):>7.3f} {max(seconds):>7.3f} "
                f"{1e3 * median / level.iterations:>12.2f}"
            )
    print(
        "  (ms/sim. turn = median / iterations: the iterations are an upper bound, since a "
        "decision with fewer legal candidates simulates fewer turns)"
    )


# --------------------------------------------------------------------------- (b) the match


@dataclass(frozen=True)
class Job:
    path: str
    seed: int
    arm: str
    """``baseline`` or ``search``."""
    actor: str
    level: SearchLevel


def play_one(job: Job) -> tuple[str, int, dict[str, float], float]:
    """One game: its outcome measures, the actor's evaluation and its terms; the seconds."""
    rules, doctrine = load(job.path)
    bots = baseline_bots(rules, doctrine)
    if job.arm == "search":
        # No difficulty: the models of the others play at the doctrine's default, as the
        # real others do here; the level sets the budget.
        bots[job.actor] = SearchBot.for_actor(rules, doctrine, job.actor, None, level=job.level)
    evaluator = Evaluator(rules.spec, job.actor)
    from engine.core import initial_state

    peaks = list(evaluator.rungs(initial_state(rules.spec, job.seed)))

    def track_peaks(_: TurnRecord, state: GameState) -> None:
        for i, rung in enumerate(evaluator.rungs(state)):
            peaks[i] = max(peaks[i], rung)

    start = time.perf_counter()
    record = play_game(rules, bots, seed=job.seed, on_turn=track_peaks)
    seconds = time.perf_counter() - start
    row = dict(record.outcomes)
    terms = evaluator.breakdown(record.final, peaks)
    row["evaluation"] = sum(terms.values())
    for term, value in terms.items():
        row[f"evaluation.{term}"] = value
    return job.arm, job.seed, row, seconds


def mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95% confidence interval (normal approximation)."""
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    stdev = statistics.stdev(values)
    return mean, Z95 * stdev / math.sqrt(len(values))


def run_match(
    args: argparse.Namespace, path: Path, rules: Rules, doctrine: DoctrineSet | None
) -> None:
    base = SEARCH_LEVELS[args.level]
    level = SearchLevel(
        args.level if not (args.candidates or args.rollouts or args.horizon) else "custom",
        args.candidates or base.candidates,
        args.rollouts or base.rollouts,
        args.horizon or base.horizon,
        base.actions,
    )
    seeds = range(args.first_seed, args.first_seed + args.games)
    jobs = [
        Job(str(path), seed, arm, args.actor, level)
        for seed in seeds
        for arm in ("baseline", "search")
    ]
    baseline_name = baseline_bots(rules, doctrine)[args.actor].name
    print(
        f"(b) match: {args.actor} played by search ({level.id}: {level.candidates} candidates "
        f"+ holding back, {level.rollouts} rollouts, horizon {level.horizon}, at most "
        f"{level.iterations} simulated turns a decision) against {baseline_name}, "
        f"everything else {'doctrine' if doctrine else 'random (the scenario has no doctrine)'}"
    )
    print(
        f"  {args.games} games a side, seeds {seeds[0]}..{seeds[-1]}, the same seeds for both "
        f"arms; {args.workers} worker processes"
    )
    results: dict[str, dict[int, dict[str, float]]] = {"baseline": {}, "search": {}}
    seconds: dict[str, float] = {"baseline": 0.0, "search": 0.0}
    began = time.perf_counter()
    done = 0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for arm, seed, row, spent in pool.map(play_one, jobs, chunksize=1):
            results[arm][seed] = row
            seconds[arm] += spent
            done += 1
            if done % 20 == 0 or done == len(jobs):
                print(
                    f"  ... {done}/{len(jobs)} games, {time.perf_counter() - began:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    wall = time.perf_counter() - began
    per_game = {arm: spent / args.games for arm, spent in seconds.items()}
    print(
        f"  played in {wall:.0f} s wall clock; seconds per game: baseline "
        f"{per_game['baseline']:.2f}, search {per_game['search']:.2f}"
    )
    names = {o.id: o.name for o in rules.spec.outcomes}
    keys = ["evaluation", *(f"evaluation.{t}" for t in TERMS), *names]
    width = max(len(k) for k in keys)
    print(
        f"  {'measure':<{width}}  {'baseline mean ± 95% CI':>24}  {'search mean ± 95% CI':>24}"
        f"  {'paired diff ± 95% CI':>24}"
    )
    for key in keys:
        base_values = [results["baseline"][s][key] for s in seeds]
        search_values = [results["search"][s][key] for s in seeds]
        diffs = [b - a for a, b in zip(base_values, search_values, strict=True)]
        cells = []
        for values in (base_values, search_values, diffs):
            mean, half = mean_ci(values)
            cells.append(f"{mean:>11.3f} ± {half:<9.3f}")
        marker = ""
        diff_mean, diff_half = mean_ci(diffs)
        if diff_half and abs(diff_mean) > diff_half:
            marker = " *"
        print(f"  {key:<{width}}  {cells[0]:>24}  {cells[1]:>24}  {cells[2]:>24}{marker}")
    print(
        f"  (evaluation: {args.actor}'s side-aware evaluation of the final position, its "
        "terms below it; * = the paired 95% CI excludes 0)"
    )


# ---------------------------------------------------------------------------------- main


def doctrine_line(scenario: Path, doctrine: DoctrineSet | None) -> str:
    """The doctrine's id, file and a short SHA-256 of it, or why there is none."""
    if doctrine is None:
        return "none (every computer player is the random bot)"
    named = load_game(scenario).scenario_data.get("doctrine", "")
    source = (scenario.parent / str(named)).resolve()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12] if source.is_file() else "?"
    shown = source.relative_to(REPO) if source.is_relative_to(REPO) else source
    return f"{doctrine.id} ({shown}, sha256 {digest})"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--actors", default="us,china", help="(a): actors to time")
    parser.add_argument("--turns", default="1,6,12,18", help="(a): turns to decide at")
    parser.add_argument("--timing-seed", type=int, default=1)
    parser.add_argument("--games", type=int, default=200, help="(b): games per arm")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--actor", default="us", help="(b): the actor the search bot plays")
    parser.add_argument("--level", default="normal", choices=sorted(SEARCH_LEVELS))
    parser.add_argument("--candidates", type=int, default=0, help="(b): override the level's")
    parser.add_argument("--rollouts", type=int, default=0, help="(b): override the level's")
    parser.add_argument("--horizon", type=int, default=0, help="(b): override the level's")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-match", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    path = args.scenario.resolve()
    rules, doctrine = load(str(path))
    spec = rules.spec
    print(
        f"bench_search: Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.machine()}, "
        f"{cpu_model()}, {os.cpu_count()} CPUs"
    )
    print(f"engine sources: sha256 {engine_fingerprint()} (engine/**/*.py)")
    print(
        f"scenario {spec.scenario_id} ({path.relative_to(REPO)}): {len(spec.areas)} areas, "
        f"{len(spec.actors)} actors, {len(spec.forces)} units, {spec.turns} turns"
    )
    print(f"doctrine: {doctrine_line(path, doctrine)}")
    if not args.skip_timing:
        affinity = getattr(os, "sched_getaffinity", None)
        everything = affinity(0) if affinity else None
        print(f"CPU for (a): {pin_to_one_core()}")
        run_timing(args, rules, doctrine)
        if everything is not None:
            os.sched_setaffinity(0, everything)  # the match's workers may use every core
    if not args.skip_match:
        if not args.skip_timing:
            print()
        run_match(args, path, rules, doctrine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
