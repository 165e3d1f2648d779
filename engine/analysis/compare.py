"""Compare scenarios (usually a default and its policy variants) over many seeded games.

Every scenario is played with the same seeds, so differences come from the rules and not
from luck drawn differently.  Games run in a local process pool; each worker loads its
scenarios once.  The result is one row per scenario and outcome measure: mean, standard
deviation and a 95% confidence interval of the mean (normal approximation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.ai.doctrine import DoctrineSet
from engine.ai.players import make_bots
from engine.analysis.stats import Z95, Estimate, estimate
from engine.content import load_game
from engine.core import Rules
from engine.runner import play_game

__all__ = ["Z95", "Job", "Summary", "compare", "play_outcomes"]


@dataclass(frozen=True)
class Summary:
    """One outcome measure of one scenario over ``games`` games."""

    scenario: str
    outcome: str
    name: str
    games: int
    mean: float
    stdev: float

    @property
    def half_width(self) -> float:
        return Estimate(self.games, self.mean, self.stdev).half_width


@lru_cache(maxsize=16)
def _game(path: str) -> tuple[Rules, DoctrineSet | None]:
    game = load_game(path)
    return Rules(game.spec), game.doctrine


@dataclass(frozen=True)
class Job:
    """One game to play: a scenario, a seed, and who plays whom."""

    path: str
    seed: int
    controllers: tuple[tuple[str, str], ...] = ()
    difficulty: str | None = None


def play_outcomes(job: Job) -> dict[str, float]:
    """Play one game; its outcome measures."""
    rules, doctrine = _game(job.path)
    controllers = {a: k for a, k in job.controllers if a in rules.spec.actor_by_id}
    bots = make_bots(rules, doctrine, controllers, job.difficulty)
    return dict(play_game(rules, bots, seed=job.seed).outcomes)


def _summarise(scenario: str, names: dict[str, str], rows: list[dict[str, float]]) -> list[Summary]:
    summaries = []
    for outcome, name in names.items():
        found = estimate([row[outcome] for row in rows])
        summaries.append(Summary(scenario, outcome, name, found.games, found.mean, found.stdev))
    return summaries


def compare(
    paths: Sequence[Path],
    games: int,
    first_seed: int = 1,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
) -> list[Summary]:
    """Play ``games`` seeded games of every scenario; summaries in scenario order.

    Loads every scenario first so that a content error is reported before any game runs.
    """
    specs = [load_game(path).spec for path in paths]
    chosen = tuple(sorted((controllers or {}).items()))
    jobs = [
        Job(str(path), seed, chosen, difficulty)
        for path in paths
        for seed in range(first_seed, first_seed + games)
    ]
    results: list[dict[str, float]] = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for row in pool.map(play_outcomes, jobs, chunksize=8):
                results.append(row)
                if progress:
                    progress(1)
    else:
        for job in jobs:
            results.append(play_outcomes(job))
            if progress:
                progress(1)
    summaries: list[Summary] = []
    for index, spec in enumerate(specs):
        rows = results[index * games : (index + 1) * games]
        names = {o.id: o.name for o in spec.outcomes}
        summaries.extend(_summarise(spec.scenario_id, names, rows))
    return summaries
