"""Sweeps: one variant per value of a key path into the scenario, each an overlay that
``extends:`` it, reported like any variant; malformed sweeps and bad paths or values are
refused with the usual content error, naming the sweep and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.analysis.variants import SweepError, parse_sweep
from engine.content import load_game

from .support import TUTORIAL, analyze, rows, summary


@pytest.mark.parametrize(
    ("text", "path", "values"),
    [
        ("tracks.credibility.europe=40,50,60", ("tracks", "credibility", "europe"), (40, 50, 60)),
        ("tracks.credibility.europe=40:60:10", ("tracks", "credibility", "europe"), (40, 50, 60)),
        ("x.y=0.1:0.3:0.1", ("x", "y"), (0.1, 0.2, 0.3)),
        ("x=10:0:-5", ("x",), (10, 5, 0)),
        ("x=40:55:10", ("x",), (40, 50)),
        ("escalation.europe=crisis,gray_zone", ("escalation", "europe"), ("crisis", "gray_zone")),
        ("x=true,false,2.5", ("x",), (True, False, 2.5)),
    ],
)
def test_sweeps_are_read_as_lists_or_ranges(
    text: str, path: tuple[str, ...], values: tuple[object, ...]
) -> None:
    sweep = parse_sweep(text)
    assert (sweep.path, sweep.values) == (path, values)
    assert [type(v) for v in sweep.values] == [type(v) for v in values]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tracks", "write PATH=V1,V2,... or PATH=START:STOP:STEP"),
        ("=1,2", "write PATH=V1,V2,... or PATH=START:STOP:STEP"),
        ("a..b=1", "'a..b' is not a key path"),
        ("a=1,,2", "a value is empty"),
        ("a=1,1.0,1", "1 is given twice"),
        ("a=1:9", "write a range as START:STOP:STEP"),
        ("a=1:9:0", "the step 0 never takes 1 to 9"),
        ("a=9:1:1", "the step 1 never takes 9 to 1"),
        ("a=x:9:1", "the start 'x' is not a number"),
        ("a=0:100000:1", "100001 points is more than 1000"),
        ("ruleset=other.yaml", "'ruleset' names a file"),
    ],
)
def test_malformed_sweeps_are_refused(text: str, message: str) -> None:
    with pytest.raises(SweepError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_sweep(text)


def test_a_sweep_over_a_starting_track_makes_one_variant_per_value(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = analyze(
        str(TUTORIAL), "--sweep", "tracks.credibility.us=40:60:10", "--games", "2",
        "--out", str(out), "--no-plots",
    )  # fmt: skip
    assert code == 0, output
    data = summary(out)
    points = ["tracks.credibility.us=40", "tracks.credibility.us=50", "tracks.credibility.us=60"]
    assert [v["label"] for v in data["variants"]] == ["tutorial", *points]
    assert [v["sweep"] for v in data["variants"][1:]] == [
        {"path": "tracks.credibility.us", "value": value} for value in (40, 50, 60)
    ]
    credibility = next(t for t in data["trajectories"] if t["kind"] == "credibility")
    assert [means[0] for means in credibility["variants"].values()] == [55.0, 40.0, 50.0, 60.0]
    found = rows(out)
    assert [r["variant"] for r in found] == [label for label in ["tutorial", *points] for _ in "ab"]
    for info, value in zip(data["variants"][1:], (40, 50, 60), strict=True):
        overlay = Path(info["file"])
        assert overlay.parent == out / "variants"
        game = load_game(overlay)  # the overlay on disk, as 'redline run' will load it
        assert game.spec.track_start[("credibility", "us")] == value
        assert game.spec.scenario_id == "tutorial"
    for label in points:
        assert label in output


@pytest.mark.parametrize(
    ("sweep", "expected"),
    [
        (
            "tracks.credibilty.us=40",
            "--sweep tracks.credibilty.us=40: error: at tracks.credibilty: unknown track "
            "'credibilty'",
        ),
        (
            "tracks.credibility.mars=40",
            "--sweep tracks.credibility.mars=40: error: at tracks.credibility.mars: unknown "
            "actor 'mars'",
        ),
        (
            "turns=six",
            "--sweep turns=six: error: at turns: expected a whole number (found 'six')",
        ),
    ],
)
def test_a_bad_path_or_value_is_the_content_error_of_the_overlay(
    tmp_path: Path, sweep: str, expected: str
) -> None:
    out = tmp_path / "out"
    code, output = analyze(str(TUTORIAL), "--sweep", sweep, "--out", str(out))
    assert code == 1
    assert expected in output
    assert f"error: cannot load --sweep {sweep}: no game was played" in output
    assert not out.exists()
