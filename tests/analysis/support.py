"""What the analysis tests share: the ``analyze`` command in a ``redline``-like app, the
scenarios, and readers for the files the command writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from engine.analysis.command import register

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
DEFAULT = ROOT / "scenarios" / "default.yaml"

app = typer.Typer(pretty_exceptions_enable=False)


@app.callback()
def redline() -> None:
    """Stands for ``engine.cli.app`` until ``register`` is wired into it: a callback makes
    typer keep ``analyze`` as a subcommand, as it is in the real command."""


register(app)
runner = CliRunner()


def analyze(*args: str) -> tuple[int, str]:
    """``redline analyze ARGS``: the exit code and everything printed."""
    result = runner.invoke(app, ["analyze", *args])
    return result.exit_code, result.output


def rows(folder: Path) -> list[dict[str, str]]:
    """``games.csv`` of an analysis, as dictionaries."""
    with (folder / "games.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def summary(folder: Path) -> dict[str, Any]:
    """``summary.json`` of an analysis."""
    data: dict[str, Any] = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return data


def variant_file(folder: Path, name: str, body: str) -> Path:
    """A variant of the tutorial in ``folder``, extending it by its absolute path."""
    path = folder / f"{name}.yaml"
    path.write_text(f"extends: {TUTORIAL}\nscenario: {name}\n{body}", encoding="utf-8")
    return path
