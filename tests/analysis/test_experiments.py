"""The policy argument's claims as shipped experiments, and ``redline experiment``.

Each file under ``experiments/`` states a claim and the comparison that tests it; every
one must name scenarios that load and a sweep that parses, and running one must give the
same files as ``redline analyze`` with its arguments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.analysis.experiment import beside, read_experiment
from engine.analysis.variants import parse_sweep
from engine.cli import app
from engine.content import load_game
from engine.errors import ContentError

from .support import ROOT, TUTORIAL

EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))
runner = CliRunner()


def test_each_of_the_five_claims_has_an_experiment() -> None:
    claims = sorted(read_experiment(path).claim.strip()[:2] for path in EXPERIMENTS)
    assert claims == ["1.", "2.", "3.", "4.", "5."]


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_a_shipped_experiment_names_scenarios_that_load(path: Path) -> None:
    chosen = read_experiment(path)
    for name in [chosen.scenario, *chosen.variants]:
        load_game(beside(path, name))
    for sweep in chosen.sweep:
        parse_sweep(sweep)
    assert chosen.variants or chosen.sweep, "an experiment compares something"


def test_a_mistake_in_an_experiment_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("experiment: bad\nclaim: x\nscenario: s.yaml\ngames: 0\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_experiment(path)
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.path) == (4, "games")


def test_an_experiment_runs_as_analyze_does(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        f"experiment: tiny\nclaim: 'A sweep of the tutorial.'\nscenario: {TUTORIAL}\n"
        "sweep: ['tracks.tension.europe=20,30']\ngames: 3\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--no-plots"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Experiment tiny\nA sweep of the tutorial.\n")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    same = tmp_path / "same"
    again = runner.invoke(
        app,
        ["analyze", str(TUTORIAL), "--sweep", "tracks.tension.europe=20,30", "--games", "3",
         "--out", str(same), "--no-plots"],
    )
    assert again.exit_code == 0, again.output
    other = json.loads((same / "summary.json").read_text(encoding="utf-8"))
    # the same games and results; only where the sweep's overlays were written differs
    assert summary.keys() == other.keys()
    for key in summary.keys() - {"variants"}:
        assert summary[key] == other[key], key
    assert [v["label"] for v in summary["variants"]] == [v["label"] for v in other["variants"]]
