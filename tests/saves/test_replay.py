"""Replaying saves: every shipped scenario replays exactly, seeking gives the states that were
played, a resumed game ends as if it had never stopped, and a branch keeps what came before.

The states a replay gives are compared with the states the game loop produced while the
game was played (collected in ``on_turn``), never with other states of the same replay.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.errors import ReplayMismatch
from engine.saves import Note, Recorder, Replay, read_save, write_save

from .support import (
    DEFAULT,
    ROOT,
    SCENARIOS,
    TUTORIAL,
    Played,
    continue_game,
    play,
    recorded,
)

SHIPPED_TURNS = 10
"""Turns played of each shipped scenario: past the first keyframe (the start of turn 9), in
well under a second each.  The default scenario is also replayed whole, below."""


def saved_to(path: Path, game: Played) -> Replay:
    write_save(path, game.saved)
    return Replay.open(path)


def assert_seeks_to_every_turn(replay: Replay, game: Played) -> None:
    """``state_at`` every turn equals the state played at its start.  Seeking from the last
    turn back to the first, the first seek of each stretch between keyframes starts from
    the keyframe before it, and the turns before the first keyframe from the start."""
    for turn in range(game.last_turn + 1, 0, -1):
        assert replay.state_at(turn) == game.states[turn], f"turn {turn}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_saves_reads_back_seeks_and_replays_exactly(
    tmp_path: Path, scenario: Path
) -> None:
    game = recorded(scenario, SHIPPED_TURNS)
    replay = saved_to(tmp_path / "game.json", game)
    assert replay.saved == game.saved
    expected = 6 if scenario == TUTORIAL else SHIPPED_TURNS
    assert replay.last_turn == game.last_turn == expected
    assert sorted(replay.saved.keyframes) == ([] if scenario == TUTORIAL else [9])
    assert_seeks_to_every_turn(replay, game)
    replay.verify()  # from the start, whatever was seen before
    assert replay.state_at(replay.last_turn + 1) == game.record.final
    assert replay.state_at(replay.last_turn + 1).digest() == game.record.final.digest()


def test_the_whole_default_scenario_replays_exactly(tmp_path: Path) -> None:
    game = recorded(DEFAULT)
    assert game.last_turn == 24 and game.record.final.finished
    replay = saved_to(tmp_path / "game.json", game)
    assert sorted(replay.saved.keyframes) == [9, 17, 25]
    assert_seeks_to_every_turn(replay, game)
    seen: list[int] = []
    replay.verify(on_turn=seen.append)
    assert seen == list(range(1, 25))
    assert replay.state_at(25) == game.record.final
    assert [replay.events_of(n) for n in range(1, 25)] == [t.events for t in game.record.turns]


def test_seeking_starts_from_the_nearest_keyframe_without_replaying_the_turns_before(
    tmp_path: Path,
) -> None:
    """With the orders of turns 1 to 8 gone, turn 9 onwards still seek from the keyframe,
    while a full verification stops at turn 1."""
    game = recorded(DEFAULT, SHIPPED_TURNS)
    saved = game.fresh_save()
    saved.turns = [dataclasses.replace(t, orders=()) if t.turn < 9 else t for t in saved.turns]
    write_save(tmp_path / "game.json", saved)
    replay = Replay.open(tmp_path / "game.json")
    for turn in range(SHIPPED_TURNS + 1, 8, -1):
        assert replay.state_at(turn) == game.states[turn]
    with pytest.raises(ReplayMismatch) as caught:
        replay.verify()
    assert caught.value.turn == 1


@pytest.mark.parametrize(
    ("scenario", "stop"),
    [(TUTORIAL, 1), (TUTORIAL, 3), (TUTORIAL, 5), (DEFAULT, 9)],
    ids=lambda v: v.stem if isinstance(v, Path) else f"after-{v}",
)
def test_a_game_resumed_from_its_save_ends_as_if_it_had_never_stopped(
    tmp_path: Path, scenario: Path, stop: int
) -> None:
    whole = recorded(scenario)
    part = play(scenario, turns=stop)
    path = tmp_path / "game.json"
    replay = saved_to(path, part)
    assert replay.last_turn == stop
    rest = continue_game(replay, stop + 1, on_turn=Recorder(replay.saved))
    assert [t.turn for t in rest.turns] == list(range(stop + 1, whole.last_turn + 1))
    assert rest.final.digest() == whole.record.final.digest()
    assert rest.final == whole.record.final
    assert rest.outcomes == whole.record.outcomes
    # The save went on being recorded: it is now the whole game, turn for turn.
    assert [t.digest for t in replay.saved.turns] == [t.digest for t in whole.record.turns]
    assert [t.orders for t in replay.saved.turns] == [t.orders for t in whole.record.turns]
    write_save(path, replay.saved)
    Replay.open(path).verify()


def test_a_branch_keeps_the_turns_and_notes_before_its_turn_and_replays(tmp_path: Path) -> None:
    game = recorded(DEFAULT, SHIPPED_TURNS)
    saved = game.fresh_save()
    saved.bookmarks = [Note(2, "first probe"), Note(9, "summit"), Note(10, "the turn")]
    saved.annotations = [Note(4, "why?"), Note(10, "too late")]
    source = tmp_path / "game.json"
    write_save(source, saved)
    before = source.read_bytes()
    replay = Replay.open(source)
    branch = replay.branch(10, origin="game.json, turn 10")
    assert [t.turn for t in branch.turns] == list(range(1, 10))
    assert branch.turns == saved.turns[:9]
    assert branch.bookmarks == [Note(2, "first probe"), Note(9, "summit")]
    assert branch.annotations == [Note(4, "why?")]
    assert sorted(branch.keyframes) == [9]
    assert (branch.origin, branch.stopped, branch.next_turn) == ("game.json, turn 10", "", 10)
    assert (branch.seed, branch.content, branch.players) == (saved.seed, saved.content,
                                                             saved.players)
    # The game branched from is left as it was, in memory and on disk.
    assert replay.saved == saved and len(replay.saved.turns) == SHIPPED_TURNS
    assert source.read_bytes() == before
    write_save(tmp_path / "branch.json", branch)
    again = Replay.open(tmp_path / "branch.json")
    assert again.saved == branch
    again.verify()
    assert again.state_at(10) == game.states[10]


@pytest.mark.parametrize("turn", [1, 4, 7])
def test_a_branch_played_on_ends_as_the_game_it_came_from(tmp_path: Path, turn: int) -> None:
    """Nothing changed at the branch point, so the same players play the same game."""
    whole = recorded(TUTORIAL)
    write_save(tmp_path / "game.json", whole.saved)
    branch = Replay.open(tmp_path / "game.json").branch(turn, origin=f"game.json, turn {turn}")
    assert [t.turn for t in branch.turns] == list(range(1, turn))
    write_save(tmp_path / "branch.json", branch)
    replay = Replay.open(tmp_path / "branch.json")
    rest = continue_game(replay, turn)
    assert len(rest.turns) == whole.last_turn + 1 - turn
    assert rest.final.digest() == whole.record.final.digest()


@pytest.mark.parametrize("turn", [0, 8, -1])
def test_a_branch_or_a_seek_outside_the_game_is_refused(tmp_path: Path, turn: int) -> None:
    replay = saved_to(tmp_path / "game.json", recorded(TUTORIAL))
    with pytest.raises(ValueError) as branching:
        replay.branch(turn, origin="x")
    with pytest.raises(ValueError) as seeking:
        replay.state_at(turn)
    message = f"turn {turn} is not in this game (turns 1 to 7)"
    assert str(branching.value) == str(seeking.value) == message


def test_a_save_replays_from_its_embedded_content_after_the_files_change(
    tmp_path: Path,
) -> None:
    """The scenario and its ruleset are copied next to each other, played, then changed and
    deleted: the save replays as it was played and goes on as it would have."""
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "rules").mkdir()
    scenario = tmp_path / "scenarios" / "tutorial.yaml"
    scenario.write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    ruleset = tmp_path / "rules" / "tutorial.yaml"
    ruleset.write_text((ROOT / "rules" / "tutorial.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    game = play(scenario, turns=3)
    replay = saved_to(tmp_path / "game.json", game)
    assert set(replay.saved.content.files) == {"rules/tutorial.yaml", "scenarios/tutorial.yaml"}
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("budget: 12", "budget: 99"),
                        encoding="utf-8")
    ruleset.unlink()
    replay = Replay.open(tmp_path / "game.json")
    replay.verify()
    rest = continue_game(replay, 4)
    assert rest.final.digest() == recorded(TUTORIAL).record.final.digest()


def absolute_ruleset_tutorial(folder: Path) -> Path:
    """The tutorial with its ruleset named by an absolute path, as tests/cli/test_play.py
    writes scenarios in a temporary folder."""
    scenario = folder / "tutorial.yaml"
    scenario.write_text(
        TUTORIAL.read_text(encoding="utf-8").replace(
            "ruleset: ../rules/tutorial.yaml", f"ruleset: {ROOT / 'rules' / 'tutorial.yaml'}"
        ),
        encoding="utf-8",
    )
    return scenario


def absolute_extends_variant(folder: Path) -> Path:
    """A variant of the tutorial naming its base by an absolute path, as tests/ai/test_fog.py
    does for the default scenario."""
    scenario = folder / "variant.yaml"
    scenario.write_text(f"extends: {TUTORIAL}\nscenario: tutorial_variant\n", encoding="utf-8")
    return scenario


@pytest.mark.parametrize("write", [absolute_ruleset_tutorial, absolute_extends_variant],
                         ids=["absolute-ruleset", "absolute-extends"])
def test_a_scenario_naming_its_files_by_absolute_paths_replays_from_its_save(
    tmp_path: Path, write: Callable[[Path], Path]
) -> None:
    scenario = write(tmp_path)
    game = play(scenario, turns=2)
    path = tmp_path / "game.json"
    write_save(path, game.saved)
    assert read_save(path) == game.saved  # the save itself is sound...
    replay = Replay.open(path)  # ...but the content it embeds does not load from it
    replay.verify()
    assert replay.state_at(3) == game.states[3]


def test_seating_someone_else_in_a_branch_leaves_the_source_as_it_was(tmp_path: Path) -> None:
    replay = saved_to(tmp_path / "game.json", recorded(TUTORIAL))
    branch = replay.branch(3, origin="game.json, turn 3")
    branch.players["us"] = "human"
    assert replay.saved.players["us"] == "random"
