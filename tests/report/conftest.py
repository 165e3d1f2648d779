"""Saved games and their reports, built once per test process and shared read-only.

The default scenario is played for six turns by its computer players, as ``redline run``
plays it; then the white cell overrides a result with a stated reason and the room adds a
bookmark and an annotation, as a facilitated exercise would, before the save is written.
A tutorial variant with a private US red line (crossed in turn 1, failed in turn 2) checks
that a line one side drew in secret stays out of the other side's report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engine.report import ReportFiles, build_report
from engine.saves import ControlRecord, Note, Replay, write_save
from tests.saves.support import DEFAULT, PRIVATE_RED_LINE, TUTORIAL, play, recorded, variant

TURNS = 6
CONTROL_REASON = "Control rules that the cyber attack on the grid was contained"
OVERRIDE = ControlRecord(
    "override", CONTROL_REASON, effects=({"adjust": "tension", "scope": "europe", "by": -5},)
)
BOOKMARK = Note(3, "The poisoning: how did the allies answer?")
ANNOTATION = Note(5, "The veto <blocked> the council & pushed Japan toward the US")
SECOND_BOOKMARK = Note(5, "Vetoed sanctions")

@dataclass(frozen=True)
class Built:
    """A report and what it was built from."""

    replay: Replay
    files: ReportFiles

    @property
    def markdown(self) -> str:
        return self.files.markdown.read_text(encoding="utf-8")

    @property
    def html(self) -> str:
        return self.files.html.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def default_replay(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    """Six turns of the default scenario, a white-cell override after the last, a
    bookmark and an annotation, written and opened again as a report would be."""
    path = tmp_path_factory.mktemp("default") / "game.json"
    write_save(path, recorded(DEFAULT, TURNS).fresh_save())
    replay = Replay.open(path)
    replay.add_control(OVERRIDE)
    replay.saved.bookmarks.extend([BOOKMARK, SECOND_BOOKMARK])
    replay.saved.annotations.append(ANNOTATION)
    write_save(path, replay.saved)
    return Replay.open(path)


@pytest.fixture(scope="session")
def full_report(default_replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("reports") / "full"
    return Built(default_replay, build_report(default_replay, out))


@pytest.fixture(scope="session")
def russia_report(default_replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("reports") / "russia"
    return Built(default_replay, build_report(default_replay, out, ["russia"]))


@pytest.fixture(scope="session")
def private_replay(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    folder = tmp_path_factory.mktemp("private")
    game = play(variant(folder, "tutorial_private", TUTORIAL, PRIVATE_RED_LINE), turns=3)
    write_save(folder / "game.json", game.saved)
    return Replay.open(folder / "game.json")


@pytest.fixture(scope="session")
def private_full(private_replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("private-reports") / "full"
    return Built(private_replay, build_report(private_replay, out))


@pytest.fixture(scope="session")
def private_russia(private_replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("private-reports") / "russia"
    return Built(private_replay, build_report(private_replay, out, ["russia"]))


@pytest.fixture(scope="session")
def private_us(private_replay: Replay, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("private-reports") / "us"
    return Built(private_replay, build_report(private_replay, out, ["us"]))
