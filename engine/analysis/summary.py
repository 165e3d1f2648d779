"""What an experiment found, per variant: outcome measures with confidence intervals and
paired differences, red lines, triggers, peak escalation and mean trajectories.

Everything here is computed from the games' results sorted by variant and seed, with every
sum taken in seed order, so that a run on one core, on a process pool or on a Dask cluster
gives the same numbers to the last digit.  :meth:`Summary.to_json` is what
``summary.json`` holds; the command prints the same figures from the same object.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from engine.analysis.batch import GameResult, watched
from engine.analysis.stats import Estimate, estimate, paired_difference
from engine.analysis.variants import Variant

S = TypeVar("S")

FORMAT = "redline-analysis"
VERSION = 1

REPORTED_STEPS = ("crossed", "enforced", "failed")
"""The red line steps the tables show; the JSON has every step seen (armed, expired...)."""

INTERVAL = (
    "95% confidence interval of the mean (normal approximation: mean ± 1.96·s/√n); "
    "differences are from the first variant, paired by seed"
)


@dataclass(frozen=True)
class VariantInfo:
    """A variant as the summary names it, and how to replay any of its games."""

    label: str
    file: str
    scenario_id: str
    sweep: tuple[str, Any] | None
    replay: str
    """``redline run FILE --seed SEED --out game.json`` (with the run's --bot and
    --difficulty): replace SEED by a row's seed."""


@dataclass(frozen=True)
class OutcomeStat:
    """One outcome measure of one variant, and its difference from the first variant."""

    outcome: str
    name: str
    variant: str
    estimate: Estimate
    difference: Estimate | None


@dataclass(frozen=True)
class RedLineStat:
    """One red line of one variant over its games."""

    red_line: str
    name: str
    variant: str
    games: int
    steps: Mapping[str, tuple[int, int]]
    """Per status step taken: the games in which it happened, and how often in all."""
    final: Mapping[str, int]
    """Per status at the end: the games that ended with it."""

    def games_with(self, status: str) -> int:
        return self.steps.get(status, (0, 0))[0]


@dataclass(frozen=True)
class TriggerStat:
    """One trigger of one variant: the games it fired in and how often in all."""

    trigger: str
    variant: str
    games: int
    games_fired: int
    firings: int

    @property
    def share(self) -> float:
        return self.games_fired / self.games

    @property
    def mean_firings(self) -> float:
        return self.firings / self.games


@dataclass(frozen=True)
class PeakStat:
    """How many games of a variant peaked at each rung of one theater's ladder."""

    theater: str
    name: str
    variant: str
    counts: tuple[int, ...]
    """Per rung of the ladder, lowest first."""

    @property
    def games(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float:
        return sum(rung * count for rung, count in enumerate(self.counts)) / self.games


@dataclass(frozen=True)
class Trajectory:
    """The mean of one track over a variant's games, at the start and after each turn.

    A game that ended early keeps its last value for the turns it did not play, so that
    every point is a mean over all the games."""

    kind: str
    """``credibility`` or ``escalation``."""
    label: str
    scope: str
    variant: str
    means: tuple[float, ...]


@dataclass(frozen=True)
class Summary:
    """Everything ``redline analyze`` prints and writes to ``summary.json``."""

    scenario: str
    games: int
    first_seed: int
    controllers: Mapping[str, str]
    difficulty: str | None
    variants: tuple[VariantInfo, ...]
    outcomes: tuple[OutcomeStat, ...]
    red_lines: tuple[RedLineStat, ...]
    triggers: tuple[TriggerStat, ...]
    peaks: tuple[PeakStat, ...]
    rungs: tuple[tuple[str, str], ...]
    """The ladder's rungs as ``(id, name)``, lowest first (of the first variant)."""
    trajectories: tuple[Trajectory, ...]

    def to_json(self, files: Sequence[str] = ()) -> dict[str, Any]:
        """The summary as JSON-ready data, in a fixed order."""
        labels = [v.label for v in self.variants]
        return {
            "format": FORMAT,
            "version": VERSION,
            "scenario": self.scenario,
            "games_per_variant": self.games,
            "seeds": {"first": self.first_seed, "last": self.first_seed + self.games - 1},
            "players": {"bots": dict(self.controllers), "difficulty": self.difficulty},
            "interval": INTERVAL,
            "variants": [_variant_json(v) for v in self.variants],
            "outcomes": _grouped(
                self.outcomes,
                lambda s: s.outcome,
                lambda s: {"id": s.outcome, "name": s.name},
                lambda s: s.variant,
                _outcome_json,
                labels,
            ),
            "red_lines": _grouped(
                self.red_lines,
                lambda s: s.red_line,
                lambda s: {"id": s.red_line, "name": s.name},
                lambda s: s.variant,
                _red_line_json,
                labels,
            ),
            "triggers": _grouped(
                self.triggers,
                lambda s: s.trigger,
                lambda s: {"id": s.trigger},
                lambda s: s.variant,
                _trigger_json,
                labels,
            ),
            "peak_escalation": _grouped(
                self.peaks,
                lambda s: s.theater,
                lambda s: {
                    "theater": s.theater,
                    "name": s.name,
                    "rungs": [r for r, _ in self.rungs],
                },
                lambda s: s.variant,
                _peak_json,
                labels,
            ),
            "trajectories": _grouped(
                self.trajectories,
                lambda s: f"{s.kind}:{s.scope}",
                lambda s: {"kind": s.kind, "label": s.label, "scope": s.scope},
                lambda s: s.variant,
                lambda s: list(s.means),
                labels,
            ),
            "files": list(files),
        }


def _grouped(
    stats: Sequence[S],
    key: Callable[[S], str],
    head: Callable[[S], dict[str, Any]],
    variant: Callable[[S], str],
    body: Callable[[S], Any],
    labels: Sequence[str],
) -> list[dict[str, Any]]:
    """Stats gathered by ``key`` (first-seen order), each with its variants in run order."""
    groups: dict[str, list[S]] = {}
    for stat in stats:
        groups.setdefault(key(stat), []).append(stat)
    order = {label: index for index, label in enumerate(labels)}
    result = []
    for members in groups.values():
        members.sort(key=lambda s: order[variant(s)])
        result.append({**head(members[0]), "variants": {variant(s): body(s) for s in members}})
    return result


def _interval(found: Estimate) -> dict[str, Any]:
    return {
        "games": found.games,
        "mean": found.mean,
        "stdev": found.stdev,
        "ci95": [found.low, found.high],
    }


def _outcome_json(stat: OutcomeStat) -> dict[str, Any]:
    data = _interval(stat.estimate)
    data["difference"] = _interval(stat.difference) if stat.difference is not None else None
    return data


def _red_line_json(stat: RedLineStat) -> dict[str, Any]:
    steps = {
        status: {"games": games, "share": games / stat.games, "steps": times}
        for status, (games, times) in stat.steps.items()
    }
    for status in REPORTED_STEPS:
        steps.setdefault(status, {"games": 0, "share": 0.0, "steps": 0})
    return {"games": stat.games, "steps": dict(sorted(steps.items())), "final": dict(stat.final)}


def _trigger_json(stat: TriggerStat) -> dict[str, Any]:
    return {
        "games": stat.games_fired,
        "share": stat.share,
        "firings": stat.firings,
        "mean_firings": stat.mean_firings,
    }


def _peak_json(stat: PeakStat) -> dict[str, Any]:
    return {
        "counts": list(stat.counts),
        "shares": [count / stat.games for count in stat.counts],
        "mean": stat.mean,
    }


def _variant_json(info: VariantInfo) -> dict[str, Any]:
    sweep = {"path": info.sweep[0], "value": info.sweep[1]} if info.sweep else None
    return {
        "label": info.label,
        "file": info.file,
        "scenario_id": info.scenario_id,
        "sweep": sweep,
        "replay": info.replay,
    }


def replay_command(file: str, controllers: Mapping[str, str], difficulty: str | None) -> str:
    """The command that plays one game of a variant again, exactly (``SEED`` to fill in)."""
    parts = ["redline", "run", shlex.quote(file), "--seed", "SEED", "--out", "game.json"]
    for actor, kind in sorted(controllers.items()):
        parts += ["--bot", shlex.quote(f"{actor}={kind}")]
    if difficulty is not None:
        parts += ["--difficulty", shlex.quote(difficulty)]
    return " ".join(parts)


def _by_variant(
    variants: Sequence[Variant], results: Sequence[GameResult]
) -> list[list[GameResult]]:
    grouped: list[list[GameResult]] = [[] for _ in variants]
    for result in sorted(results, key=lambda r: (r.variant, r.seed)):
        grouped[result.variant].append(result)
    return grouped


def _outcomes(
    variants: Sequence[Variant], grouped: Sequence[Sequence[GameResult]]
) -> list[OutcomeStat]:
    first_ids = [o.id for o in variants[0].spec.outcomes]
    stats = []
    for number, (variant, games) in enumerate(zip(variants, grouped, strict=True)):
        for index, outcome in enumerate(variant.spec.outcomes):
            values = [g.outcomes[index] for g in games]
            difference = None
            if number > 0 and outcome.id in first_ids:
                slot = first_ids.index(outcome.id)
                baseline = [g.outcomes[slot] for g in grouped[0]]
                difference = paired_difference(values, baseline)
            stats.append(
                OutcomeStat(outcome.id, outcome.name, variant.label, estimate(values), difference)
            )
    return stats


def _red_lines(
    variants: Sequence[Variant], grouped: Sequence[Sequence[GameResult]]
) -> list[RedLineStat]:
    stats = []
    for variant, games in zip(variants, grouped, strict=True):
        for index, line in enumerate(variant.spec.red_lines):
            steps: dict[str, tuple[int, int]] = {}
            final: dict[str, int] = {}
            for game in games:
                for red_line, status, times in game.red_line_steps:
                    if red_line == line.id:
                        had, total = steps.get(status, (0, 0))
                        steps[status] = (had + 1, total + times)
                status = game.final_red_lines[index]
                final[status] = final.get(status, 0) + 1
            stats.append(
                RedLineStat(
                    line.id,
                    line.name,
                    variant.label,
                    len(games),
                    dict(sorted(steps.items())),
                    dict(sorted(final.items())),
                )
            )
    return stats


def _triggers(
    variants: Sequence[Variant], grouped: Sequence[Sequence[GameResult]]
) -> list[TriggerStat]:
    stats = []
    for variant, games in zip(variants, grouped, strict=True):
        counted: dict[str, tuple[int, int]] = {t.id: (0, 0) for t in variant.spec.triggers}
        for game in games:
            for trigger, times in game.triggers:
                had, total = counted.get(trigger, (0, 0))
                counted[trigger] = (had + 1, total + times)
        for trigger, (had, total) in counted.items():
            stats.append(TriggerStat(trigger, variant.label, len(games), had, total))
    return stats


def _peaks(variants: Sequence[Variant], grouped: Sequence[Sequence[GameResult]]) -> list[PeakStat]:
    stats = []
    for variant, games in zip(variants, grouped, strict=True):
        ladder = variant.spec.ladder
        if ladder is None:
            continue
        for index, (name, theater, _) in enumerate(watched(variant.spec).escalation):
            counts = [0] * len(ladder.rungs)
            for game in games:
                counts[game.peak_rungs[index]] += 1
            stats.append(PeakStat(theater, name, variant.label, tuple(counts)))
    return stats


def _mean_series(series: Sequence[Sequence[float]]) -> tuple[float, ...]:
    length = max(len(s) for s in series)
    means = []
    for turn in range(length):
        total = 0.0
        for values in series:
            total += values[min(turn, len(values) - 1)]
        means.append(total / len(series))
    return tuple(means)


def _trajectories(
    variants: Sequence[Variant], grouped: Sequence[Sequence[GameResult]]
) -> list[Trajectory]:
    stats = []
    for variant, games in zip(variants, grouped, strict=True):
        follow = watched(variant.spec)
        for index, (label, scope, _) in enumerate(follow.credibility):
            means = _mean_series([g.credibility[index] for g in games])
            stats.append(Trajectory("credibility", label, scope, variant.label, means))
        for index, (label, scope, _) in enumerate(follow.escalation):
            means = _mean_series([g.escalation[index] for g in games])
            stats.append(Trajectory("escalation", label, scope, variant.label, means))
    return stats


def summarise(
    variants: Sequence[Variant],
    results: Sequence[GameResult],
    games: int,
    first_seed: int,
    controllers: Mapping[str, str] | None = None,
    difficulty: str | None = None,
) -> Summary:
    """Summarise ``games`` games (seeds ``first_seed`` on) of every variant.

    ``results`` may come in any order; each variant must have exactly one result per seed.
    """
    grouped = _by_variant(variants, results)
    seeds = list(range(first_seed, first_seed + games))
    for variant, found in zip(variants, grouped, strict=True):
        if [g.seed for g in found] != seeds:
            raise ValueError(f"{variant.label}: expected one game for each of seeds {seeds}")
    chosen = dict(sorted((controllers or {}).items()))
    infos = tuple(
        VariantInfo(
            v.label,
            v.file,
            v.spec.scenario_id,
            v.sweep,
            replay_command(v.file, chosen, difficulty),
        )
        for v in variants
    )
    ladder = variants[0].spec.ladder
    rungs = tuple(zip(ladder.rungs, ladder.names, strict=True)) if ladder else ()
    return Summary(
        scenario=variants[0].file,
        games=games,
        first_seed=first_seed,
        controllers=chosen,
        difficulty=difficulty,
        variants=infos,
        outcomes=tuple(_outcomes(variants, grouped)),
        red_lines=tuple(_red_lines(variants, grouped)),
        triggers=tuple(_triggers(variants, grouped)),
        peaks=tuple(_peaks(variants, grouped)),
        rungs=rungs,
        trajectories=tuple(_trajectories(variants, grouped)),
    )


def top_triggers(summary: Summary, count: int = 10) -> list[str]:
    """The triggers that fired in the most games (in any variant), then most often."""
    best: dict[str, tuple[float, float]] = {}
    for stat in summary.triggers:
        share, mean = best.get(stat.trigger, (0.0, 0.0))
        best[stat.trigger] = (max(share, stat.share), max(mean, stat.mean_firings))
    fired = [t for t, (share, _) in best.items() if share > 0]
    return sorted(fired, key=lambda t: (-best[t][0], -best[t][1], t))[:count]
