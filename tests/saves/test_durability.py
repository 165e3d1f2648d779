"""A save on disk is always a whole save: through a kill at any moment, a failed write, and
the autosave's rotation of per-turn copies.

The kill test runs a separate Python process that writes two different games (two and three
turns of the tutorial) to the same file in a loop, and kills it with SIGKILL at random
moments: each time, the file left behind must read as one of the two games.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.errors import SaveError
from engine.saves import Autosave, SavedGame, read_save, write_save

from .support import ROOT, SEED, TUTORIAL, play, recorded

WRITER = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from engine.saves import write_save
from tests.saves.support import TUTORIAL, recorded

path = Path(sys.argv[1])
games = [recorded(TUTORIAL, 2).saved, recorded(TUTORIAL, 3).saved]
write_save(path, games[0])
print("ready", flush=True)
while True:
    for game in games:
        write_save(path, game)
"""
"""Writes the two games to ``argv[1]`` for ever, saying ``ready`` after the first write."""

KILLS = 5


def test_killing_a_writer_at_any_moment_leaves_one_whole_save(tmp_path: Path) -> None:
    games: list[SavedGame] = [recorded(TUTORIAL, 2).saved, recorded(TUTORIAL, 3).saved]
    assert games[0] != games[1]
    moments = random.Random(SEED)
    writers = []
    for index in range(KILLS):
        folder = tmp_path / f"writer-{index}"
        folder.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder / "game.json")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        )
        writers.append((folder, process))
    try:
        for folder, process in writers:
            assert process.stdout is not None and process.stderr is not None
            line = process.stdout.readline()
            assert line == "ready\n", process.stderr.read()  # read only when it failed
            time.sleep(moments.uniform(0.0, 0.08))
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
            back = read_save(folder / "game.json")
            assert back in games
            # Whatever else was left is a temporary file beside it, never the save.
            leftovers = sorted(p.name for p in folder.iterdir() if p.name != "game.json")
            assert all(n.startswith(".game.json.") and n.endswith(".tmp") for n in leftovers)
    finally:
        for _, process in writers:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def failing(code: int) -> Callable[..., None]:
    """A stand-in for an ``os`` function that fails as the system would with ``code``."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("call", "code"),
    [("replace", errno.ENOSPC), ("fsync", errno.EIO), ("replace", errno.EACCES)],
    ids=["rename-disk-full", "sync-io-error", "rename-refused"],
)
@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_a_failed_write_leaves_the_previous_save_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int, suffix: str
) -> None:
    path = tmp_path / f"game{suffix}"
    write_save(path, recorded(TUTORIAL, 2).saved)
    before = path.read_bytes()
    monkeypatch.setattr(os, call, failing(code))
    with pytest.raises(SaveError) as caught:
        write_save(path, recorded(TUTORIAL, 3).saved)
    monkeypatch.undo()
    assert str(caught.value) == f"{path}: cannot write: {os.strerror(code)}"
    assert path.read_bytes() == before
    assert read_save(path) == recorded(TUTORIAL, 2).saved
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_write_into_a_folder_that_is_gone_is_a_save_error(tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    folder.mkdir()
    path = folder / "game.json"
    write_save(path, recorded(TUTORIAL, 2).saved)
    path.unlink()
    folder.rmdir()
    with pytest.raises(SaveError) as caught:
        write_save(path, recorded(TUTORIAL, 3).saved)
    assert str(caught.value) == f"{path}: cannot write: No such file or directory"
    assert not folder.exists()


def copies_of(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_the_autosave_holds_every_turn_and_the_last_three_copies(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"game{suffix}"
    game = play(TUTORIAL, write=Autosave(path, keep=3))
    assert game.last_turn == 6
    assert read_save(path) == game.saved
    assert [t.turn for t in read_save(path).turns] == [1, 2, 3, 4, 5, 6]
    assert copies_of(tmp_path / "autosave") == [
        f"game.turn-004{suffix}", f"game.turn-005{suffix}", f"game.turn-006{suffix}"
    ]
    for turn in (4, 5, 6):
        copy = read_save(tmp_path / "autosave" / f"game.turn-{turn:03d}{suffix}")
        assert [t.turn for t in copy.turns] == list(range(1, turn + 1))
        assert copy.turns == game.saved.turns[:turn]


def test_the_autosave_keeps_every_copy_while_there_are_fewer_than_it_keeps(
    tmp_path: Path,
) -> None:
    path = tmp_path / "game.json"
    play(TUTORIAL, turns=2, write=Autosave(path, keep=3))
    assert copies_of(tmp_path / "autosave") == ["game.turn-001.json", "game.turn-002.json"]


def test_an_autosave_that_keeps_no_copies_writes_only_the_save(tmp_path: Path) -> None:
    play(TUTORIAL, turns=3, write=Autosave(tmp_path / "game.json", keep=0))
    assert copies_of(tmp_path) == ["game.json"]


def test_two_games_autosaved_in_one_folder_keep_their_own_copies(tmp_path: Path) -> None:
    play(TUTORIAL, write=Autosave(tmp_path / "first.json", keep=3))
    play(TUTORIAL, seed=SEED + 1, write=Autosave(tmp_path / "second.json", keep=2))
    assert copies_of(tmp_path / "autosave") == [
        "first.turn-004.json", "first.turn-005.json", "first.turn-006.json",
        "second.turn-005.json", "second.turn-006.json",
    ]


def test_games_whose_names_hold_dots_keep_their_own_copies(tmp_path: Path) -> None:
    play(TUTORIAL, write=Autosave(tmp_path / "crisis.v1.json", keep=3))
    play(TUTORIAL, seed=SEED + 1, write=Autosave(tmp_path / "crisis.v2.json", keep=3))
    copies = copies_of(tmp_path / "autosave")
    assert len(copies) == 6, copies

