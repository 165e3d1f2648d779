"""The figures of an analysis: confidence intervals, paired differences, red line and trigger
counts and peak escalation, checked on hand-made results and against the games' own events."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from engine.ai.players import make_bots
from engine.analysis.batch import GameResult, play_variants, watched
from engine.analysis.stats import Z95, estimate, paired_difference
from engine.analysis.summary import summarise, top_triggers
from engine.analysis.variants import Variant, load_variants, parse_sweep
from engine.content import load_game
from engine.core import Rules
from engine.core.events import RedLineChanged, TriggerFired
from engine.runner import play_game

from .support import DEFAULT, TUTORIAL


def test_estimate_is_the_mean_with_the_sample_deviation() -> None:
    found = estimate([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    assert found.mean == 5.0
    assert found.stdev == pytest.approx(math.sqrt(32 / 7))
    assert found.half_width == pytest.approx(Z95 * math.sqrt(32 / 7) / math.sqrt(8))
    assert (found.low, found.high) == (found.mean - found.half_width, found.mean + found.half_width)


def test_one_game_has_no_interval() -> None:
    found = estimate([3.5])
    assert (found.mean, found.stdev, found.half_width) == (3.5, 0.0, 0.0)


def test_a_paired_difference_is_the_interval_of_the_differences() -> None:
    """Paired by seed, two noisy series that move together differ by a precise amount."""
    baseline = [10.0, 12.0, 9.0, 15.0]
    variant = [11.0, 15.0, 9.0, 18.0]  # differences 1, 3, 0, 3
    found = paired_difference(variant, baseline)
    assert found.mean == 1.75
    assert found.stdev == 1.5
    assert found.half_width == pytest.approx(Z95 * 1.5 / 2)
    separate = math.hypot(estimate(variant).half_width, estimate(baseline).half_width)
    assert found.half_width < separate
    with pytest.raises(ValueError, match="cannot pair 3 values with 4"):
        paired_difference(variant[:3], baseline)


def _result(variant: Variant, index: int, seed: int, first: float, **extra: object) -> GameResult:
    """A made-up result of the tutorial: the first measure set, the others 0."""
    spec = variant.spec
    follow = watched(spec)
    fields: dict[str, object] = {
        "variant": index,
        "seed": seed,
        "turns": 6,
        "outcomes": (first, *(0.0 for _ in spec.outcomes[1:])),
        "final_red_lines": tuple("armed" for _ in spec.red_lines),
        "red_line_steps": (),
        "triggers": (),
        "credibility": tuple((55.0,) * 7 for _ in follow.credibility),
        "escalation": tuple((1.0,) * 7 for _ in follow.escalation),
    }
    fields.update(extra)
    return GameResult(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def two_tutorials(tmp_path_factory: pytest.TempPathFactory) -> list[Variant]:
    folder = tmp_path_factory.mktemp("variants")
    return load_variants(TUTORIAL, (), [parse_sweep("tracks.credibility.us=40")], folder)


def test_the_summary_pairs_by_seed_whatever_order_the_results_come_in(
    two_tutorials: list[Variant],
) -> None:
    base, other = two_tutorials
    made = [
        _result(other, 1, 4, 18.0),
        _result(base, 0, 2, 12.0),
        _result(other, 1, 1, 11.0),
        _result(base, 0, 4, 15.0),
        _result(other, 1, 3, 9.0),
        _result(base, 0, 1, 10.0),
        _result(other, 1, 2, 15.0),
        _result(base, 0, 3, 9.0),
    ]
    found = summarise(two_tutorials, made, games=4, first_seed=1)
    first = found.outcomes[0].outcome
    by_variant = {s.variant: s for s in found.outcomes if s.outcome == first}
    assert by_variant[base.label].estimate.mean == 11.5
    assert by_variant[base.label].difference is None
    difference = by_variant[other.label].difference
    assert difference is not None
    assert (difference.mean, difference.stdev) == (1.75, 1.5)
    assert difference.half_width == pytest.approx(Z95 * 0.75)


def test_the_summary_refuses_a_missing_or_extra_seed(two_tutorials: list[Variant]) -> None:
    base, other = two_tutorials
    made = [_result(base, 0, 1, 1.0), _result(other, 1, 1, 1.0), _result(other, 1, 2, 1.0)]
    with pytest.raises(ValueError, match="expected one game for each of seeds"):
        summarise(two_tutorials, made, games=2, first_seed=1)


def test_red_lines_and_triggers_count_games_and_steps(two_tutorials: list[Variant]) -> None:
    base, other = two_tutorials
    line = base.spec.red_lines[0].id
    trigger = base.spec.triggers[0].id
    made = [
        _result(
            base,
            0,
            1,
            0.0,
            red_line_steps=((line, "crossed", 1), (line, "failed", 1)),
            triggers=((trigger, 3),),
            final_red_lines=("failed",),
        ),
        _result(
            base,
            0,
            2,
            0.0,
            red_line_steps=((line, "crossed", 2), (line, "enforced", 2)),
            triggers=((trigger, 1),),
            escalation=((1.0, 2.0, 4.0, 3.0, 3.0, 3.0, 3.0),),
        ),
        _result(base, 0, 3, 0.0),
        _result(other, 1, 1, 0.0),
        _result(other, 1, 2, 0.0),
        _result(other, 1, 3, 0.0),
    ]
    found = summarise(two_tutorials, made, games=3, first_seed=1)
    lines = {s.variant: s for s in found.red_lines}
    assert lines[base.label].steps == {"crossed": (2, 3), "enforced": (1, 2), "failed": (1, 1)}
    assert lines[base.label].final == {"armed": 2, "failed": 1}
    assert lines[other.label].steps == {}
    fired = {(s.trigger, s.variant): s for s in found.triggers}
    assert (fired[trigger, base.label].games_fired, fired[trigger, base.label].firings) == (2, 4)
    assert fired[trigger, base.label].share == pytest.approx(2 / 3)
    assert fired[trigger, base.label].mean_firings == pytest.approx(4 / 3)
    assert fired[trigger, other.label].games_fired == 0
    assert top_triggers(found) == [trigger]
    peaks = {s.variant: s for s in found.peaks}
    assert peaks[base.label].counts == (0, 2, 0, 0, 1, 0, 0)  # one game peaked at rung 4
    data = found.to_json()
    assert data["red_lines"][0]["variants"][base.label]["steps"]["crossed"] == {
        "games": 2,
        "share": 2 / 3,
        "steps": 3,
    }


def test_counts_agree_with_the_events_of_the_games(tmp_path: Path) -> None:
    """Three default-scenario games, played again here with ``play_game``, and their events
    counted by hand: the summary's red line and trigger figures and its peak rungs match."""
    seeds = range(1, 4)
    variants = load_variants(DEFAULT, (), (), tmp_path)
    results = play_variants([v.source for v in variants], seeds)
    found = summarise(variants, results, games=len(seeds), first_seed=1)

    game = load_game(DEFAULT)
    rules = Rules(game.spec)
    steps: dict[tuple[str, str], set[int]] = {}
    fired: dict[str, list[int]] = {}
    for seed in seeds:
        record = play_game(rules, make_bots(rules, game.doctrine), seed=seed)
        for turn in record.turns:
            for event in turn.events:
                if isinstance(event, RedLineChanged):
                    steps.setdefault((event.red_line, event.status), set()).add(seed)
                elif isinstance(event, TriggerFired):
                    fired.setdefault(event.trigger, []).append(seed)
    assert any(status == "crossed" for _, status in steps), "no red line crossed: a weak test"
    for stat in found.red_lines:
        for status in ("armed", "crossed", "enforced", "failed", "expired", "retired"):
            assert stat.games_with(status) == len(steps.get((stat.red_line, status), ())), (
                stat.red_line,
                status,
            )
    for trigger in found.triggers:
        seen = fired.get(trigger.trigger, [])
        assert (trigger.games_fired, trigger.firings) == (len(set(seen)), len(seen))
    assert {t.trigger for t in found.triggers} == {t.id for t in game.spec.triggers}

    measures = [o.id for o in game.spec.outcomes]
    for peak in found.peaks:
        measure = measures.index(f"peak_rung_{peak.theater}")
        counted = [0] * len(peak.counts)
        for result in results:
            counted[int(result.outcomes[measure])] += 1
        assert list(peak.counts) == counted
