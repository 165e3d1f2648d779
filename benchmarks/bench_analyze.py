"""Games per second of ``redline analyze`` on the default scenario: one core, then two workers.

What an analyst waits for is whole seeded games with the doctrine bots on every side, the
work ``redline analyze`` hands its workers.  Both measurements play the same ``--games``
seeds of ``--scenario`` (default ``scenarios/default.yaml``) through
``engine.analysis.batch.play_variants``, exactly as the command does:

(a) **One core.**  In this process (``workers=1``), pinned to CPU 0 with
    ``os.sched_setaffinity`` where the platform has it.  The variant is loaded and one game
    played untimed first, so (a) is the steady rate of the game loop and its bookkeeping.
(b) **Two workers.**  ``workers=2``: a local pool of two spawned processes, each loading the
    scenario from the texts it is sent, batches of up to 20 seeds.  The process's CPU
    affinity is restored first (children inherit it).  Timed from the call to the last
    result, so the pool's start (two fresh interpreters importing Redline and loading the
    scenario) is included, as a user pays it.  Parallel efficiency = rate (b) / (2 x rate (a)).

Then the summary and the files (``games.csv`` and ``summary.json``; the plots apart) are
timed on the games of (b), the results of (a) and (b) are checked to be identical, and the
time for 10,000 games is projected from both rates.

Run from anywhere::

    .venv/bin/python benchmarks/bench_analyze.py --games 200
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from common import REPO, machine_lines, pin_to_one_core

from engine.ai.bot import Bot
from engine.ai.players import make_bots
from engine.analysis.batch import GameResult, play_variants, prepare
from engine.analysis.outputs import draw_plots, games_csv, summary_json
from engine.analysis.summary import summarise
from engine.analysis.variants import Variant, load_variants
from engine.core import Rules
from engine.files import atomic_write_text

DEFAULT_SCENARIO = REPO / "scenarios" / "default.yaml"
PROJECTED = 10_000


def _hours(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:,.1f} min" if minutes < 90 else f"{minutes / 60:,.2f} h"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Games per second of redline analyze: one core, then two workers."
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        default=DEFAULT_SCENARIO,
        help="scenario YAML file (default: scenarios/default.yaml)",
    )
    parser.add_argument(
        "--games",
        type=int,
        default=100,
        metavar="N",
        help="seeded games in each measurement (default: %(default)s)",
    )
    parser.add_argument(
        "--first-seed", type=int, default=1, help="seed of the first game (default: 1)"
    )
    args = parser.parse_args(argv)
    if args.games < 1:
        parser.error("--games must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scenario: Path = args.scenario
    seeds = range(args.first_seed, args.first_seed + args.games)
    machine, code = machine_lines("bench_analyze")
    print(machine)
    print(code)
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None

    variants = load_variants(scenario, (), (), Path(tempfile.gettempdir()))
    sources = [v.source for v in variants]
    spec = variants[0].spec
    players = sorted({bot.name for bot in _bots(variants[0])})
    print(
        f"scenario {spec.scenario_id} ({scenario}): {len(spec.areas)} areas, "
        f"{len(spec.actors)} actors, {len(spec.forces)} units, {spec.turns} turns; "
        f"computer players: {', '.join(players)}"
    )
    print(f"seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} games in each measurement)")
    print()

    pinning = pin_to_one_core()
    prepare(sources[0])  # loaded once, as a worker does before its first batch
    play_variants(sources, range(seeds[0], seeds[0] + 1))  # warm-up, untimed
    start = time.perf_counter()
    alone = play_variants(sources, seeds)
    one = time.perf_counter() - start
    turns = sum(r.turns for r in alone)
    print(f"(a) one core, in this process ({pinning}):")
    print(
        f"  {len(seeds) / one:,.2f} games/s ({1e3 * one / len(seeds):,.0f} ms a game, "
        f"{turns / one:,.0f} turns/s): {len(seeds)} games in {one:.1f} s"
    )

    if affinity is not None:
        os.sched_setaffinity(0, affinity)
    start = time.perf_counter()
    pooled = play_variants(sources, seeds, workers=2)
    two = time.perf_counter() - start
    efficiency = (len(seeds) / two) / (2 * len(seeds) / one)
    print("(b) two worker processes (spawned, pool start included):")
    print(
        f"  {len(seeds) / two:,.2f} games/s: {len(seeds)} games in {two:.1f} s; "
        f"speed-up {one / two:.2f}x, parallel efficiency {efficiency:.0%}"
    )
    same = _same(alone, pooled)
    print(f"  results identical to (a): {'yes' if same else 'NO'}")

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        summary = summarise(variants, pooled, len(seeds), seeds[0])
        atomic_write_text(Path(folder) / "games.csv", games_csv(variants, pooled))
        atomic_write_text(Path(folder) / "summary.json", summary_json(summary, []))
        files = time.perf_counter() - start
        start = time.perf_counter()
        drawn = draw_plots(Path(folder), pooled, summary)
        plots = time.perf_counter() - start
    print(
        f"summary, games.csv and summary.json of the {len(seeds)} games: {1e3 * files:,.0f} ms; "
        f"the {len(drawn)} plots: {plots:.1f} s"
    )
    print(
        f"projected for {PROJECTED:,} games: {_hours(PROJECTED * one / len(seeds))} on one "
        f"core, {_hours(PROJECTED * two / len(seeds))} with two workers"
    )
    return 0 if same else 1


def _bots(variant: Variant) -> list[Bot]:
    """The computer players ``redline analyze`` seats (each actor's doctrine, or random)."""
    game = variant.game
    return list(make_bots(Rules(game.spec), game.doctrine).values())


def _same(a: Sequence[GameResult], b: Sequence[GameResult]) -> bool:
    """Whether two runs of the same seeds gave the same results, game for game."""
    return list(a) == list(b)


if __name__ == "__main__":
    sys.exit(main())
