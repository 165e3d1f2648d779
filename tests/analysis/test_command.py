"""``redline analyze`` end to end: the files it writes, the rows replayed with ``redline run``,
and every mistake refused with one clear message before any game is played."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.analysis import batch
from engine.cli import app as redline
from engine.core import OutcomeRecorder
from engine.saves import Replay

from .support import DEFAULT, TUTORIAL, analyze, rows, summary, variant_file


def test_the_csv_has_a_row_per_game_with_every_measure_and_red_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cautious = variant_file(tmp_path, "cautious", "tracks:\n  credibility: {us: 45}\n")
    code, output = analyze(
        str(TUTORIAL), "--variant", str(cautious), "--games", "3", "--seed", "5", "--out", str(out)
    )
    assert code == 0, output
    found = rows(out)
    assert list(found[0]) == [
        "variant", "scenario_file", "seed",
        "us_credibility", "poland_assurance_low", "peak_tension", "peak_rung",
        "territory_changed", "blue_strength", "red_strength",
        "red_line:baltic_tripwire",
    ]  # fmt: skip
    assert [(r["variant"], r["scenario_file"], r["seed"]) for r in found] == [
        ("tutorial", str(TUTORIAL), "5"),
        ("tutorial", str(TUTORIAL), "6"),
        ("tutorial", str(TUTORIAL), "7"),
        ("cautious", str(cautious), "5"),
        ("cautious", str(cautious), "6"),
        ("cautious", str(cautious), "7"),
    ]
    assert all(r["red_line:baltic_tripwire"] == "armed" for r in found)
    data = summary(out)
    assert data["games_per_variant"] == 3
    assert data["seeds"] == {"first": 5, "last": 7}
    assert [v["label"] for v in data["variants"]] == ["tutorial", "cautious"]
    assert data["variants"][1]["replay"] == f"redline run {cautious} --seed SEED --out game.json"
    assert sorted(p.name for p in out.iterdir()) == sorted(data["files"])
    assert {"trajectory-credibility.png", "trajectory-escalation.png"} <= set(data["files"])
    assert "outcome-us_credibility.png" in data["files"]
    # What is printed: the measures with their intervals and differences, and how to replay.
    assert "US credibility at the end" in output
    assert "Δ -10.00 ± 0.00*" in output  # the variant starts 10 lower and nothing else moves it
    assert f"redline run {TUTORIAL} --seed 5 --out game.json" in output
    assert "Peak escalation in Europe" in output


def _replayed_outcomes(save: Path) -> tuple[dict[str, float], tuple[str, ...]]:
    """The outcome measures and final red line statuses of a saved game, replayed."""
    replay = Replay.open(save)
    replay.verify()
    recorder = OutcomeRecorder(replay.spec, replay.state_at(1))
    for turn in range(2, replay.last_turn + 2):
        recorder.observe(replay.state_at(turn))
    final = replay.state_at(replay.last_turn + 1)
    return recorder.results(), tuple(line.status for line in final.red_lines)


@pytest.mark.parametrize(
    ("scenario", "extra"),
    [
        (TUTORIAL, ["--sweep", "tracks.credibility.us=35"]),
        (DEFAULT, ["--bot", "us=random", "--difficulty", "hard"]),
    ],
    ids=["tutorial-and-a-sweep-point", "default-with-bot-and-difficulty"],
)
def test_each_row_replays_to_its_outcomes_with_redline_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: Path, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    games = "2" if scenario == TUTORIAL else "1"
    code, output = analyze(str(scenario), "--games", games, "--seed", "11", "--no-plots", *extra)
    assert code == 0, output
    data = summary(Path("analysis"))
    for row in rows(Path("analysis")):
        replay = next(v["replay"] for v in data["variants"] if v["label"] == row["variant"])
        command = replay.replace("SEED", row["seed"]).split()
        assert command[:2] == ["redline", "run"]
        assert command[2] == row["scenario_file"]
        result = CliRunner().invoke(redline, [*command[1:], "--quiet"])
        assert result.exit_code == 0, result.output
        outcomes, red_lines = _replayed_outcomes(Path("game.json"))
        assert {k: float(row[k]) for k in outcomes} == outcomes
        assert tuple(v for k, v in row.items() if k.startswith("red_line:")) == red_lines
    assert len(rows(Path("analysis"))) == int(games) * len(data["variants"])


def test_a_missing_variant_file_is_reported_and_nothing_is_played(tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nowhere.yaml"
    code, output = analyze(str(TUTORIAL), "--variant", str(missing), "--out", str(out))
    assert code == 1
    assert f"{missing}: error: file not found" in output
    assert f"error: cannot load {missing}: no game was played" in output
    assert not out.exists()
    assert "Traceback" not in output


def test_a_broken_variant_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = variant_file(tmp_path, "broken", "escalation: {europe: gray_zonne}\n")
    code, output = analyze(str(TUTORIAL), "--variant", str(broken), "--out", str(tmp_path / "o"))
    assert code == 1
    assert f"{broken}:3:" in output
    assert "gray_zonne" in output
    assert "no game was played" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--games", "0"], "--games must be at least 1"),
        (["--games", "-3"], "--games must be at least 1"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--workers", "2", "--dask", "tcp://127.0.0.1:8786"], "give one or the other"),
        (["--seed", str(2**64 - 2), "--games", "3"], "goes past the last seed"),
        (["--sweep", "credibility"], "write PATH=V1,V2,... or PATH=START:STOP:STEP"),
        (["--sweep", "tracks.credibility.us=40:60"], "write a range as START:STOP:STEP"),
        (["--bot", "mars=random"], "--bot names no actor of this scenario: mars"),
        (["--difficulty", "hard"], "its computer players are random bots"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    code, output = analyze(str(TUTORIAL), "--out", str(out), *args)
    assert code == 1
    assert message in output
    assert "Traceback" not in output
    assert not out.exists()


def test_an_output_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    code, output = analyze(str(TUTORIAL), "--out", str(tmp_path / "no" / "such"))
    assert code == 1
    assert f"the folder {tmp_path / 'no'} does not exist" in output
    afile = tmp_path / "file"
    afile.write_text("x")
    code, output = analyze(str(TUTORIAL), "--out", str(afile))
    assert code == 1
    assert "is a file; give a folder" in output


def test_an_unreachable_dask_scheduler_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", 0.5)
    out = tmp_path / "out"
    code, output = analyze(str(TUTORIAL), "--dask", "tcp://127.0.0.1:1", "--out", str(out))
    assert code == 1
    assert "error: --dask tcp://127.0.0.1:1: cannot reach a Dask scheduler there" in output
    assert output.count("error") == 1
    assert "Traceback" not in output
    assert not out.exists()
