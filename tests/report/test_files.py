"""Where and how the report is written: the same bytes for the same game, a clear refusal
for a folder that cannot be made or an actor the game lacks, the maps of the turns that
mattered, teams when the save records them, and a save with no turn played yet."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import pytest

from engine.errors import RedlineError
from engine.report import (
    ReportError,
    build_report,
    readers_of,
    remove_stale_figures,
    viewers_named,
)
from engine.report.document import Document
from engine.report.sight import Sight
from engine.report.snapshots import MOST, key_turns
from engine.report.summary import summary_section
from engine.report.timeline import orders_section
from engine.report.to_markdown import render_markdown
from engine.saves import Note, Replay, new_save, write_save
from tests.saves.support import DEFAULT, loaded

from .conftest import Built


def test_two_builds_of_a_report_are_identical(full_report: Built, tmp_path: Path) -> None:
    again = build_report(full_report.replay, tmp_path / "again")
    assert again.markdown.read_text(encoding="utf-8") == full_report.markdown
    assert again.html.read_text(encoding="utf-8") == full_report.html
    assert [p.name for p in again.figures] == [p.name for p in full_report.files.figures]
    for first, second in zip(full_report.files.figures, again.figures, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert str(tmp_path) not in again.markdown.read_text(encoding="utf-8")


def test_a_missing_parent_folder_is_refused_with_a_clear_message(
    default_replay: Replay, tmp_path: Path
) -> None:
    out = tmp_path / "no" / "such" / "report"
    with pytest.raises(ReportError) as caught:
        build_report(default_replay, out)
    assert str(caught.value) == (
        f"cannot write the report to {out}: the folder {out.parent} does not exist "
        "(create it first, or choose another output folder)"
    )
    assert isinstance(caught.value, RedlineError)
    assert not (tmp_path / "no").exists()


def test_a_file_in_the_way_is_refused(default_replay: Replay, tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.write_text("not a folder")
    with pytest.raises(ReportError, match="it is a file, not a folder"):
        build_report(default_replay, out)


def test_an_actor_the_game_lacks_is_refused_before_anything_is_written(
    default_replay: Replay, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    with pytest.raises(ReportError) as caught:
        build_report(default_replay, out, ["russia", "atlantis"])
    actors = ", ".join(a.id for a in default_replay.spec.actors)
    assert str(caught.value) == f"default has no actor 'atlantis'; its actors are {actors}"
    assert not out.exists()


def test_the_maps_are_of_the_first_last_bookmarked_and_escalating_turns(
    default_replay: Replay,
) -> None:
    chosen = key_turns(Sight(default_replay))
    assert [(k.turn, k.reasons) for k in chosen] == [
        (1, ("the first turn",)),
        (2, ("escalation in Asia-Pacific",)),
        (3, ("bookmark: The poisoning: how did the allies answer?",)),
        (5, ("bookmark: Vetoed sanctions",)),
        (6, ("the last turn",)),
    ]
    assert [k.turn for k in key_turns(Sight(default_replay), most=3)] == [1, 3, 6]


def test_at_most_six_maps_are_drawn_the_bookmarked_first(default_replay: Replay) -> None:
    saved = copy.deepcopy(default_replay.saved)
    saved.bookmarks = [Note(turn, f"mark {turn}") for turn in (6, 5, 4, 3, 2, 1, 2)]
    sight = Sight(Replay(saved, default_replay.path))
    chosen = key_turns(sight)
    assert MOST == 6 and [k.turn for k in chosen] == [1, 2, 3, 4, 5, 6]
    assert chosen[1].reasons == ("bookmark: mark 2", "escalation in Asia-Pacific")
    assert [k.turn for k in key_turns(sight, most=4)] == [1, 2, 3, 6], "bookmarks in order"


def test_teams_recorded_in_the_save_are_named_and_group_the_orders(
    default_replay: Replay,
) -> None:
    saved = copy.deepcopy(default_replay.saved)
    saved.teams = {  # type: ignore[attr-defined]
        "moscow": SimpleNamespace(name="Moscow cell", actors=("russia",)),
        "nato": SimpleNamespace(name="NATO cell", actors=("uk", "france")),
    }
    replay = Replay(saved, default_replay.path)
    full = Sight(replay)
    markdown = render_markdown(
        Document("t", "s", (summary_section(full, readers_of(full)), orders_section(full)))
    )
    assert "| moscow | Moscow cell | russia |" in markdown
    assert "| nato | NATO cell | uk, france |" in markdown
    assert "### NATO cell\n\n#### United Kingdom (uk)" in markdown
    assert "### United States and allies (not in a team)\n\n#### United States (us)" in markdown
    assert "| uk | United Kingdom | United States and allies | doctrine | NATO cell |" in markdown
    team = Sight(replay, ["uk", "france"])
    assert readers_of(team) == "NATO cell (uk, france): only what it saw"
    orders = render_markdown(Document("t", "s", (orders_section(team),)))
    assert "#### France (france)" in orders and "(us)" not in orders


def test_a_save_with_no_turn_played_gives_a_report_of_the_start(tmp_path: Path) -> None:
    game = loaded(DEFAULT)
    path = tmp_path / "empty.json"
    write_save(path, new_save(game, 3, {a.id: "doctrine" for a in game.spec.actors}))
    files = build_report(Replay.open(path), tmp_path / "report", ["us"])
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "No turn was played." in markdown
    assert [p.name for p in files.figures][-1] == "map-start.png"
    assert "| Turns played | 0 of 24 |" in markdown


def test_a_team_is_named_by_its_id_an_actor_or_actors(default_replay: Replay) -> None:
    """What ``redline report --team T`` will pass on: a team of the save, else actors."""
    assert viewers_named(default_replay, "russia") == ("russia",)
    assert viewers_named(default_replay, "japan, rok") == ("japan", "rok")
    actors = ", ".join(a.id for a in default_replay.spec.actors)
    with pytest.raises(ReportError) as caught:
        viewers_named(default_replay, "kremlin")
    assert str(caught.value) == f"default has no team or actor 'kremlin': its actors are {actors}"
    saved = copy.deepcopy(default_replay.saved)
    saved.teams = {
        "kremlin": SimpleNamespace(name="Kremlin", actors=frozenset({"russia", "china"}))
    }  # type: ignore[attr-defined]
    with_teams = Replay(saved, default_replay.path)
    assert viewers_named(with_teams, "kremlin") == ("china", "russia")
    with pytest.raises(ReportError, match="has no team or actor 'nato': its teams are kremlin; "):
        viewers_named(with_teams, "nato")


def test_a_report_into_a_used_folder_removes_only_the_figures_it_replaces(tmp_path: Path) -> None:
    for name in (
        "assurance.png",
        "credibility.png",
        "map-turn-04.png",
        "map-turn-06.png",
        "map-start.png",
        "logo.png",
    ):
        (tmp_path / name).write_bytes(b"old")
    remove_stale_figures(tmp_path, [tmp_path / "credibility.png", tmp_path / "map-turn-06.png"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "credibility.png",
        "logo.png",
        "map-turn-06.png",
    ]
