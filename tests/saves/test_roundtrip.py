"""A save read back is the game that was played, and the same game always gives the same bytes.

Each game is compared twice: with the :class:`SavedGame` that was written (every field, by
dataclass equality) and with what the game loop itself recorded while playing (orders,
events, digests, reasons, the states at keyframe turns), so a save that dropped or
reordered something would fail even if writing and reading agreed with each other.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from engine.saves import FORMAT, FORMAT_VERSION, SavedGame, read_save, write_save

from .support import DEFAULT, ROOT, SEED, TUTORIAL, Played, play, recorded

GAMES = [
    pytest.param(TUTORIAL, None, id="tutorial"),
    pytest.param(DEFAULT, 10, id="default-10-turns"),
]


def assert_same_as_played(back: SavedGame, game: Played) -> None:
    """``back`` holds, field by field, the game as ``play_game`` recorded it."""
    turns = game.record.turns
    assert [t.turn for t in back.turns] == [t.turn for t in turns]
    assert [t.date for t in back.turns] == [t.date for t in turns]
    assert [t.orders for t in back.turns] == [t.orders for t in turns]
    assert [t.events for t in back.turns] == [t.events for t in turns]
    assert [t.digest for t in back.turns] == [t.digest for t in turns]
    assert [t.reasons for t in back.turns] == [t.reasons for t in turns]
    assert all(t.controls == () and t.control_events == () for t in back.turns)
    assert back.keyframes == {n: game.states[n] for n in back.keyframes}
    assert back.seed == SEED
    kind = "random" if game.scenario == TUTORIAL else "doctrine"
    assert back.players == {actor: kind for actor in game.record.bots}
    assert back.scenario == game.record.scenario
    assert (back.opening, back.opening_events, back.bookmarks, back.annotations) == (
        (), (), [], []
    )


@pytest.mark.parametrize(("scenario", "turns"), GAMES)
@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_a_written_save_reads_back_equal_to_the_game_played(
    tmp_path: Path, scenario: Path, turns: int | None, suffix: str
) -> None:
    game = recorded(scenario, turns)
    path = tmp_path / f"game{suffix}"
    write_save(path, game.saved)
    back = read_save(path)
    assert back == game.saved
    assert_same_as_played(back, game)
    raw = path.read_bytes()
    if suffix == ".json.gz":
        assert raw[:2] == b"\x1f\x8b"
        raw = gzip.decompress(raw)
    document = json.loads(raw)
    assert (document["format"], document["format_version"]) == (FORMAT, FORMAT_VERSION)


def test_the_tutorial_save_holds_every_turn_of_the_whole_game() -> None:
    game = recorded(TUTORIAL)
    assert game.record.final.finished
    assert [t.turn for t in game.saved.turns] == [1, 2, 3, 4, 5, 6]
    assert game.saved.keyframes == {}
    assert game.saved.players == {"poland": "random", "russia": "random", "us": "random"}


def test_keyframes_are_the_states_at_the_start_of_turns_9_17_25(tmp_path: Path) -> None:
    game = recorded(DEFAULT)
    write_save(tmp_path / "game.json", game.saved)
    back = read_save(tmp_path / "game.json")
    assert sorted(back.keyframes) == [9, 17, 25]
    for turn, state in back.keyframes.items():
        assert state == game.states[turn]
        assert state.digest() == back.turn(turn - 1).digest


@pytest.mark.parametrize(("scenario", "turns"), GAMES)
def test_the_save_embeds_every_content_file_as_it_is_on_disk(
    scenario: Path, turns: int | None
) -> None:
    content = recorded(scenario, turns).saved.content
    assert content.entry == f"scenarios/{scenario.name}"
    expected = {"rules/tutorial.yaml", "scenarios/tutorial.yaml"} if scenario == TUTORIAL else {
        "doctrines/redline.yaml", "rules/redline.yaml", "scenarios/default.yaml"
    }
    assert set(content.files) == expected
    for name, text in content.files.items():
        assert text == (ROOT / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize(("scenario", "turns"), GAMES)
@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_the_same_game_played_twice_gives_the_same_bytes(
    tmp_path: Path, scenario: Path, turns: int | None, suffix: str
) -> None:
    first, second = recorded(scenario, turns), play(scenario, turns=turns)
    assert first.saved is not second.saved
    write_save(tmp_path / f"first{suffix}", first.saved)
    write_save(tmp_path / f"second{suffix}", second.saved)
    data = (tmp_path / f"first{suffix}").read_bytes()
    assert (tmp_path / f"second{suffix}").read_bytes() == data
    # Reading a save and writing it again changes nothing either.
    write_save(tmp_path / f"again{suffix}", read_save(tmp_path / f"first{suffix}"))
    assert (tmp_path / f"again{suffix}").read_bytes() == data


def test_another_seed_gives_another_save(tmp_path: Path) -> None:
    write_save(tmp_path / "a.json", recorded(TUTORIAL).saved)
    write_save(tmp_path / "b.json", recorded(TUTORIAL, seed=SEED + 1).saved)
    assert (tmp_path / "a.json").read_bytes() != (tmp_path / "b.json").read_bytes()
    assert read_save(tmp_path / "a.json") != read_save(tmp_path / "b.json")


def test_the_file_has_one_field_per_line_and_one_turn_per_line(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    write_save(path, recorded(TUTORIAL).saved)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert lines[1].startswith('"checksum":"') and lines[2] == '"format":"redline-save",'
    start = lines.index('"turns":[')
    turns = lines[start + 1 : -2]
    assert len(turns) == 6
    assert [json.loads(line.rstrip(","))["turn"] for line in turns] == [1, 2, 3, 4, 5, 6]
