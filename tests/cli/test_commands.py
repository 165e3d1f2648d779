"""The ``redline`` command end to end: exit codes, messages, files written or left alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app
from engine.saves import read_save

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_validate_clean_files_exits_zero() -> None:
    code, output = invoke("validate", str(ROOT / "rules"), str(ROOT / "scenarios"))
    assert code == 0
    assert "0 errors" in output


def test_validate_reports_a_mistake_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TUTORIAL.read_text().replace("ruleset: ../rules/tutorial.yaml",
                                                f"ruleset: {ROOT / 'rules' / 'tutorial.yaml'}")
                   .replace("area: germany}", "area: germny}", 1))
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "germny" in text)
    code, output = invoke("validate", str(bad))
    assert code == 1
    assert f"bad.yaml:{line}:" in output
    assert "unknown area 'germny'" in output
    assert "did you mean 'germany'?" in output
    assert "1 error" in output


def test_run_writes_the_game_and_prints_the_digest(tmp_path: Path) -> None:
    target = tmp_path / "game.json"
    code, output = invoke("run", str(TUTORIAL), "--seed", "3", "--turns", "2", "--out", str(target))
    assert code == 0, output
    assert json.loads(target.read_text())["format"] == "redline-save"
    game = read_save(target)
    assert [t.turn for t in game.turns] == [1, 2]
    assert f"final digest {game.turns[-1].digest}" in output


def test_run_refuses_a_directory_as_output_and_writes_nothing(tmp_path: Path) -> None:
    code, output = invoke("run", str(TUTORIAL), "--out", str(tmp_path))
    assert code == 1
    assert "is a directory; give a file name" in output
    assert list(tmp_path.iterdir()) == []


def test_run_of_a_missing_scenario_is_a_clean_error(tmp_path: Path) -> None:
    code, output = invoke("run", str(tmp_path / "nowhere.yaml"))
    assert code == 1
    assert "file not found" in output
    assert "Traceback" not in output


def test_a_bad_scenario_does_not_overwrite_an_existing_output(tmp_path: Path) -> None:
    target = tmp_path / "game.json"
    target.write_text("precious")
    bad = tmp_path / "broken.yaml"
    bad.write_text("scenario: broken\n  name: [\n")
    code, _ = invoke("run", str(bad), "--out", str(target))
    assert code == 1
    assert target.read_text() == "precious"


def test_schema_writes_three_json_schemas(tmp_path: Path) -> None:
    code, _ = invoke("schema", "--out", str(tmp_path))
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["ruleset.schema.json", "scenario.schema.json", "variant.schema.json"]
    variant = json.loads((tmp_path / "variant.schema.json").read_text())
    assert variant["required"] == ["extends"]


def test_compare_plays_the_same_seeds_and_writes_a_csv(tmp_path: Path) -> None:
    target = tmp_path / "compare.csv"
    code, output = invoke("compare", str(TUTORIAL), "--games", "3", "--out", str(target))
    assert code == 0, output
    rows = target.read_text().splitlines()
    assert rows[0] == "scenario,outcome,games,mean,stdev,ci95_low,ci95_high"
    assert all(row.startswith("tutorial,") and ",3," in row for row in rows[1:])
    assert "US credibility at the end" in output


@pytest.mark.parametrize("args", [["run", "--turns", "0"], ["compare", "--games", "0"]])
def test_bad_numbers_are_refused(args: list[str]) -> None:
    code, output = invoke(args[0], str(TUTORIAL), *args[1:])
    assert code == 1
    assert "must be at least 1" in output


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    """A real process, as a user runs it: a broken file gives a message and exit code 1."""
    bad = tmp_path / "broken.yaml"
    bad.write_text("scenario: broken\nname: x\n\tturns: 3\n")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, "-m", "engine.cli", "validate", str(bad)],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert "broken.yaml:3:" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_run_into_a_missing_directory_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    code, output = invoke("run", str(TUTORIAL), "--turns", "1", "--out",
                          str(tmp_path / "typo" / "game.json"))
    assert code == 1
    assert "cannot write" in output and "No such file or directory" in output
    assert not (tmp_path / "typo").exists()


def test_a_negative_seed_is_refused() -> None:
    code, output = invoke("run", str(TUTORIAL), "--seed", "-1")
    assert code != 0
    assert "--seed" in output
