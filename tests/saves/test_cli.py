"""The save commands end to end: ``run --out``, ``replay``, ``branch``, ``play --resume`` and
``annotate``: exit codes, what is printed, and what is written to the save or left alone.

Successful commands run in process through typer's ``CliRunner`` (commands for the replay
browser piped in as its input); failures with a save run the real command in a new process,
as a user meets them, to check that they end in one ``error:`` line and never a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engine.cli import app, main
from engine.saves import Note, Replay, read_save, write_save

from .support import DEFAULT, ROOT, TUTORIAL, recorded

runner = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
    """``redline ARGS`` in process; an exception other than an exit fails the test."""
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``redline ARGS`` in a new process, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")}
    env.update(NO_COLOR="1", PYTHONHASHSEED="0")
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args], input=stdin, capture_output=True,
        text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )


def final_digest(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("final digest ")]
    assert len(lines) == 1, output
    return lines[0].removeprefix("final digest ")


def run_tutorial(path: Path) -> str:
    """``redline run`` of the tutorial, seed 3, saved to ``path``: its final digest."""
    code, output = invoke("run", str(TUTORIAL), "--seed", "3", "--out", str(path))
    assert code == 0, output
    assert f"wrote {path}" in output
    return final_digest(output)


@pytest.mark.parametrize("name", ["game.json", "game.json.gz"])
def test_run_out_then_replay_verify_says_it_replays_exactly(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    digest = run_tutorial(path)
    assert digest == recorded(TUTORIAL).record.final.digest()
    assert read_save(path) == recorded(TUTORIAL).saved
    code, output = invoke("replay", str(path), "--verify")
    assert code == 0, output
    assert output == (
        f"{path}: replays exactly, 6 turns, every digest matches; final digest {digest}\n"
    )


def test_replay_steps_through_the_turns_and_keeps_notes_in_the_save(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    commands = ["n", "p", "goto 3", "events", "state us", "mark label", "note text", "marks",
                "q"]
    code, screen = invoke("replay", str(path), stdin="\n".join(commands) + "\n")
    assert code == 0, screen
    assert screen.startswith("Tutorial: Baltic tripwire (tutorial), seed 3: 6 turns played, over (")
    assert "players: poland random; russia random; us random" in screen
    # Each command is echoed after its prompt, in order, at the turn it was typed at.
    typed_at = [1, 2, 1, 3, 3, 3, 3, 3, 3]
    at = [screen.index(f"replay turn {turn}/6> {command}\n")
          for turn, command in zip(typed_at, commands, strict=True)]
    assert at == sorted(at)
    # The first turn, then next, previous and goto 3, each shown under its own rule.
    assert re.findall(r" Turn (\d) of 6, 2025-0(\d) ", screen) == [
        ("1", "1"), ("2", "2"), ("1", "1"), ("3", "3")
    ]
    game = recorded(TUTORIAL).saved
    listed = screen[at[3]:at[4]]
    found = [listed.index(f"  {event.describe()}\n") for event in game.turn(3).events]
    assert found == sorted(found)  # 'events' lists every event of the turn, in order
    state = screen[at[4]:at[5]]
    assert "After turn 3, as us saw it" in state and "us-3abct Armored brigade 4 (us)" in state
    assert "bookmarked turn 3\n" in screen[at[5]:at[6]]
    assert "annotated turn 3\n" in screen[at[6]:at[7]]
    assert "  turn 3: bookmark: label\n  turn 3: note: text\n" in screen[at[7]:at[8]]
    saved = read_save(path)
    assert (saved.bookmarks, saved.annotations) == ([Note(3, "label")], [Note(3, "text")])
    assert saved.turns == game.turns
    Replay.open(path).verify()


def test_replay_as_one_side_hides_the_other_sides(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    code, screen = invoke("replay", str(path), "--side", "us", "--turn", "2",
                          stdin="state russia\norders\nstate\nq\n")
    assert code == 0, screen
    assert "Turn 2 of 6, 2025-02 as us" in screen
    assert "replay turn 2/6> state russia\nyou are reviewing as us: other sides' views are " \
           "hidden\n" in screen
    assert "After turn 2, as us saw it" in screen
    assert "  us: act precision_strike\n" in screen
    others = [o.text() for o in recorded(TUTORIAL).saved.turn(2).orders if o.actor != "us"]
    assert others and not any(order in screen for order in others)
    assert "  russia: " not in screen and "  poland: " not in screen


def test_replay_as_an_actor_the_game_lacks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    code, output = invoke("replay", str(path), "--side", "atlantis")
    assert code == 1
    assert "--side atlantis: tutorial has no such actor; choose one of us, poland, russia" in output


def test_a_branch_resumed_ends_with_the_digest_of_the_original_game(tmp_path: Path) -> None:
    source, branch = tmp_path / "game.json", tmp_path / "what-if.json"
    digest = run_tutorial(source)
    before = source.read_bytes()
    code, output = invoke("branch", str(source), "--turn", "3", "--out", str(branch))
    assert code == 0, output
    assert output == (
        f"wrote {branch}: tutorial with turns 1 to 2 of {source}; continue with "
        f"'redline play --resume {branch}'\n"
    )
    assert [t.turn for t in read_save(branch).turns] == [1, 2]
    code, output = invoke("play", "--resume", str(branch))
    assert code == 0, output
    assert f"Resuming tutorial at turn 3 from {branch}" in output
    assert final_digest(output) == digest
    resumed = read_save(branch)
    assert resumed.turns == read_save(source).turns
    assert resumed.origin == "game.json, turn 3"
    Replay.open(branch).verify()
    assert source.read_bytes() == before


def test_a_late_branch_of_the_default_game_resumed_ends_as_the_original(
    tmp_path: Path,
) -> None:
    """The doctrine players of the default scenario are seated again from the save."""
    source, branch = tmp_path / "game.json", tmp_path / "late.json"
    whole = recorded(DEFAULT)
    write_save(source, whole.saved)
    code, output = invoke("branch", str(source), "--turn", "21", "--out", str(branch))
    assert code == 0, output
    code, output = invoke("play", "--resume", str(branch))
    assert code == 0, output
    assert f"Resuming default at turn 21 from {branch}" in output
    assert final_digest(output) == whole.record.final.digest()
    resumed = read_save(branch)
    assert resumed.players == whole.saved.players
    assert [t.digest for t in resumed.turns] == [t.digest for t in whole.record.turns]


def test_branch_refuses_to_overwrite_a_file_without_force(tmp_path: Path) -> None:
    source, target = tmp_path / "game.json", tmp_path / "what-if.json"
    run_tutorial(source)
    target.write_text("precious")
    code, output = invoke("branch", str(source), "--turn", "3", "--out", str(target))
    assert code == 1
    assert f"--out {target} exists; choose another name, or add --force to replace it" in output
    assert target.read_text() == "precious"
    code, output = invoke("branch", str(source), "--turn", "3", "--out", str(target), "--force")
    assert code == 0, output
    assert len(read_save(target).turns) == 2


def test_branch_refuses_to_write_over_the_game_it_branches_from(tmp_path: Path) -> None:
    source = tmp_path / "game.json"
    run_tutorial(source)
    before = source.read_bytes()
    (tmp_path / "other").mkdir()
    for given in (str(source), str(tmp_path / "other" / ".." / "game.json")):
        code, output = invoke("branch", str(source), "--turn", "3", "--out", given, "--force")
        assert code == 1
        assert f"--out {given} is the game being branched from; choose a new file" in output
    assert source.read_bytes() == before


def test_branch_refuses_a_turn_outside_the_game(tmp_path: Path) -> None:
    source = tmp_path / "game.json"
    run_tutorial(source)
    code, output = invoke("branch", str(source), "--turn", "8", "--out", str(tmp_path / "b.json"))
    assert code == 1
    assert "--turn 8: a branch can start at turns 1 to 7" in output
    assert not (tmp_path / "b.json").exists()


def test_annotate_bookmarks_and_notes_a_turn(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    code, output = invoke("annotate", str(path), "--turn", "2", "--bookmark", "X")
    assert (code, output) == (0, f"{path}: turn 2 bookmarked\n")
    code, output = invoke("annotate", str(path), "--turn", "5", "--note", "why so quiet?")
    assert (code, output) == (0, f"{path}: turn 5 annotated\n")
    saved = read_save(path)
    assert saved.bookmarks == [Note(2, "X")]
    assert saved.annotations == [Note(5, "why so quiet?")]
    assert saved.turns == recorded(TUTORIAL).saved.turns
    Replay.open(path).verify()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--turn", "7", "--bookmark", "X"], "--turn 7: this game has turns 1 to 6"),
        (["--turn", "0", "--note", "X"], "--turn 0: this game has turns 1 to 6"),
        (["--turn", "2"], "give --bookmark LABEL, --note TEXT or both"),
    ],
    ids=["after-the-last", "before-the-first", "nothing-to-add"],
)
def test_annotate_refuses_what_it_cannot_do(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    before = path.read_bytes()
    code, output = invoke("annotate", str(path), *args)
    assert code == 1
    assert message in output
    assert path.read_bytes() == before


def test_resuming_a_finished_game_says_the_game_is_over(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    before = path.read_bytes()
    code, output = invoke("play", "--resume", str(path))
    assert code == 1
    assert (
        f"{path}: the game is over after turn 6; use 'redline replay' to review it or "
        "'redline branch' to play on from an earlier turn"
    ) in output
    assert path.read_bytes() == before


@pytest.fixture
def corrupt(tmp_path: Path) -> Path:
    """A save of the tutorial cut in half, as a crash of a careless writer would leave it."""
    path = tmp_path / "game.json"
    run_tutorial(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def assert_one_error_line(stderr: str, corrupt: Path) -> None:
    assert stderr.startswith(f"error: {corrupt}: line ")
    assert stderr.endswith("; the file is truncated or corrupt\n")
    assert stderr.count("\n") == 1


def test_replay_of_a_corrupt_save_is_one_error_line_and_no_traceback(corrupt: Path) -> None:
    before = corrupt.read_bytes()
    done = redline("replay", str(corrupt), stdin="n\n")
    assert done.returncode == 1
    assert_one_error_line(done.stderr, corrupt)
    assert done.stdout == ""
    assert "Traceback" not in done.stdout + done.stderr
    assert corrupt.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["replay", "{}", "--verify"],
        ["branch", "{}", "--turn", "2", "--out", "{}.branch"],
        ["play", "--resume", "{}"],
        ["annotate", "{}", "--turn", "2", "--note", "x"],
    ],
    ids=["verify", "branch", "resume", "annotate"],
)
def test_every_command_refuses_a_corrupt_save_with_one_error_line(
    corrupt: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Through ``main``, the console script's entry point, in this process."""
    before = corrupt.read_bytes()
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main([part.format(corrupt) for part in command])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert_one_error_line(captured.err, corrupt)
    assert "Traceback" not in captured.out + captured.err
    assert corrupt.read_bytes() == before
    assert not Path(f"{corrupt}.branch").exists()


def test_a_save_that_diverges_is_refused_with_the_turn(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    run_tutorial(path)
    saved = read_save(path)
    saved.turns[3] = dataclasses.replace(saved.turns[3], orders=())
    write_save(path, saved)
    done = redline("replay", str(path), "--verify")
    assert done.returncode == 1
    assert done.stderr.startswith("error: the replay diverges at turn 4: turn event 1 differs: ")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stdout + done.stderr
