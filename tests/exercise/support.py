"""What the exercise tests share: the ``redline`` command in process, exercises started
from the shipped scenarios, and sheets edited the way a person edits them.

Every command runs in process through typer's ``CliRunner`` (its standard output and its
standard error apart), so a test reads exactly what a facilitator would read.  Saves,
sheets and reports go under pytest's temporary folders; a module that plays turns starts
its exercise once and copies the save for each test that changes it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from engine.cli import app
from engine.saves import read_save

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "default.yaml"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
SEED = 3
DEFAULT_PEOPLE = ("us", "europe", "japan_rok")
"""The default scenario's teams of people, in its order."""

runner = CliRunner()


@dataclass(frozen=True)
class Ran:
    """What one ``redline`` command did: its exit code, what it printed on each stream,
    and the exception it ended with when that was not an exit."""

    code: int
    out: str
    err: str
    exception: BaseException | None = None


def redline(*args: str | Path) -> Ran:
    """``redline ARGS`` in process; an exception other than an exit fails the test."""
    ran = attempt(*args)
    if ran.exception is not None:
        raise ran.exception
    return ran


def attempt(*args: str | Path) -> Ran:
    """``redline ARGS`` in process, keeping any exception it ended with (for a test about
    a crash)."""
    result = runner.invoke(app, [str(a) for a in args])
    crash = result.exception
    if isinstance(crash, SystemExit):
        crash = None
    return Ran(result.exit_code, result.stdout, result.stderr, crash)


def ok(*args: str | Path) -> Ran:
    """``redline ARGS`` that must succeed."""
    ran = redline(*args)
    assert ran.code == 0, ran.err
    return ran


def fingerprint(path: Path) -> str:
    """The SHA-256 of a file's bytes: equal fingerprints, byte-for-byte equal files."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_save(save: Path, folder: Path, name: str = "") -> Path:
    """A copy of ``save`` in ``folder`` (under ``name``): a test may play it on."""
    target = folder / (name or save.name)
    shutil.copyfile(save, target)
    return target


def facilitate(
    folder: Path, *teams: str, scenario: Path = DEFAULT, name: str = "game.json"
) -> Path:
    """Start an exercise of ``scenario`` (seed 3) saved as ``folder/name``, with
    ``--team`` choices ``teams``."""
    save = folder / name
    choices = [part for team in teams for part in ("--team", team)]
    ok("facilitate", scenario, "--seed", str(SEED), "--out", save, *choices)
    return save


def template(save: Path, team: str, out: Path | None = None) -> Path:
    """Write ``team``'s sheet for the next turn (beside the save unless ``out``)."""
    where = ["--out", str(out)] if out is not None else []
    ok("orders-template", save, "--team", team, *where)
    turn = read_save(save).next_turn
    written = out or save.parent / f"{save.stem}.turn-{turn:03d}.{team}.yaml"
    assert written.is_file(), written
    return written


def templates(save: Path, teams: tuple[str, ...] = DEFAULT_PEOPLE) -> dict[str, Path]:
    return {team: template(save, team) for team in teams}


def play(save: Path, sheets: dict[str, Path] | list[Path], *extra: str | Path) -> Ran:
    """``redline turn SAVE --orders ...`` that must succeed."""
    paths = list(sheets.values()) if isinstance(sheets, dict) else sheets
    return ok("turn", save, *[part for p in paths for part in ("--orders", p)], *extra)


# ---------------------------------------------------------------------- sheets by hand


def _block(lines: list[str], actor: str) -> tuple[int, int]:
    """The lines of ``actor``'s part of a sheet: from its ``  actor:`` line to the next."""
    start = lines.index(f"  {actor}:")
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    return start, end


def give(text: str, actor: str, *orders: str) -> str:
    """``text`` with ``orders`` written under ``actor``, first in its part, as a person
    writes their own orders."""
    lines = text.split("\n")
    start, _ = _block(lines, actor)
    lines[start + 1 : start + 1] = [f"    - {order}" for order in orders]
    return "\n".join(lines)


def uncomment(text: str, actor: str, order: str) -> str:
    """``text`` with the commented order ``order`` of ``actor``'s part taken out of its
    comment (its cost comment stays, as a person's hand would leave it)."""
    lines = text.split("\n")
    start, end = _block(lines, actor)
    pattern = re.compile(rf"^    # - {re.escape(order)}(   # .*)?$")
    for index in range(start, end):
        if pattern.match(lines[index]):
            lines[index] = lines[index].replace("    # - ", "    - ", 1)
            return "\n".join(lines)
    raise AssertionError(f"no commented order '{order}' for {actor}")


def edit(path: Path, text: str, to: Path | None = None) -> Path:
    """Write ``text`` as the sheet at ``to`` (or over ``path``); returns where."""
    target = to or path
    target.write_text(text, encoding="utf-8")
    return target


def place(path: Path, needle: str) -> tuple[int, int]:
    """The line and column (both from 1) where ``needle`` first starts in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        column = line.find(needle)
        if column >= 0:
            return number, column + 1
    raise AssertionError(f"'{needle}' is not in {path}")


def variant(folder: Path, name: str, base: Path, body: str) -> Path:
    """A scenario ``name`` in ``folder`` extending ``base`` (by a relative path, as the
    shipped variants do) with ``body`` added."""
    path = folder / f"{name}.yaml"
    extends = Path(os.path.relpath(base, folder)).as_posix()
    path.write_text(f"extends: {extends}\nscenario: {name}\n{body}", encoding="utf-8")
    return path


def table_rows(output: str) -> list[list[str]]:
    """The body rows of the rich tables in ``output``, as their cells' text."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]
