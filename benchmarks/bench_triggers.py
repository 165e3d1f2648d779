"""Cost of evaluating 200 triggers in one turn.

Builds the tutorial scenario with 200 extra repeating triggers of mixed kinds (track
comparisons, unit counts in areas, events this turn, conjunctions), none of which fire, so
every one is evaluated in full each time, and measures (a) one ``triggers`` phase on its own
and (b) whole turns with and without the extra triggers.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from pathlib import Path

from engine.content import load_game
from engine.core import GameState, Rules, initial_state, resolve_turn
from engine.core import language as lang
from engine.core.board import Board
from engine.core.spec import GameSpec, TriggerSpec
from engine.core.triggers import run_triggers

ROOT = Path(__file__).resolve().parent.parent


def synthetic_triggers(spec: GameSpec, count: int) -> tuple[TriggerSpec, ...]:
    """``count`` repeating triggers whose conditions are evaluated but never hold."""
    areas = [a.id for a in spec.areas]
    never = lang.Compare("gt", 1e9)
    made: list[TriggerSpec] = []
    for i in range(count):
        kind = i % 4
        when: lang.Condition
        if kind == 0:
            when = lang.TrackIs("tension", "europe", lang.Compare("gt", 99.5))
        elif kind == 1:
            when = lang.UnitsIn(never, "strength", side="red", area=areas[i % len(areas)])
        elif kind == 2:
            when = lang.Happened("unit_destroyed", (("owner", "us"),))
        else:
            when = lang.All(
                (
                    lang.TrackIs("credibility", "us", lang.Compare("lt", -1)),
                    lang.Controls(areas[i % len(areas)], side="red"),
                )
            )
        made.append(TriggerSpec(f"bench_{i:03d}", when, (lang.SetFlag(f"bench_{i}"),), once=False))
    return tuple(made)


def best_of(repeats: int, action: object) -> list[float]:
    assert callable(action)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triggers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        print("pinned to core 0")
    spec = load_game(ROOT / "scenarios" / "tutorial.yaml").spec
    heavy = dataclasses.replace(
        spec, triggers=spec.triggers + synthetic_triggers(spec, args.triggers)
    )
    for label, game in (("tutorial", spec), (f"tutorial + {args.triggers} triggers", heavy)):
        rules = Rules(game)
        state = initial_state(game)

        def phase(rules: Rules = rules, game: GameSpec = game, state: GameState = state) -> None:
            board = Board(game, state)
            run_triggers(rules.triggers, board)

        def turn(rules: Rules = rules, state: GameState = state) -> None:
            resolve_turn(rules, state, [])

        phase_ms = statistics.median(best_of(args.repeat, phase)) * 1000
        turn_ms = statistics.median(best_of(args.repeat, turn)) * 1000
        print(f"{label:32} triggers phase {phase_ms:7.3f} ms   whole turn {turn_ms:7.3f} ms")


if __name__ == "__main__":
    main()
