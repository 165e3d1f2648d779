"""A damaged, truncated, foreign or hand-edited save is refused with one readable message.

The property tests damage a small save (three turns of the tutorial) at random: any byte
replaced, or the file cut short.  Reading it must either raise :class:`SaveError` with one
of the messages below, or (when the change means nothing to JSON or to gzip, such as a
newline turned into a space, or the gzip header's timestamp) give back the very same game:
never another exception and never another game.  The explicit cases check each message
word for word; the last ones edit a save by hand, keeping its checksum right, so that only
the replay can tell.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import __version__
from engine.errors import ReplayMismatch, SaveError
from engine.saves import Replay, SavedGame, read_save, write_save
from engine.saves.store import checksum

from .support import TUTORIAL, edit_document, recorded, symbol

PROBLEMS = (
    r"the checksum does not match the contents: the file was damaged or edited after it was "
    r"written",
    r"line \d+, column \d+: not valid JSON \([^)]+\); the file is truncated or corrupt",
    r"not a Redline save: byte \d+ is not UTF-8 text \(the file is corrupt\)",
    r"not a Redline save \(it has no 'format' field\)",
    r"not a Redline save \(format '.*', expected 'redline-save'\)",
    r"the save format version is .+, not a number",
    r"written by a newer Redline \(.+, save format \d+\); this Redline .+ reads save format 1 "
    r"at most",
    r"save format -?\d+ is older than any this Redline can read or migrate",
    r"the compressed save is truncated or corrupt",
    r"the file is empty",
)
"""Every way reading a damaged file may explain itself."""

DAMAGE = settings(max_examples=60, deadline=None)


def small_save() -> SavedGame:
    return recorded(TUTORIAL, 3).saved


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The small save's bytes, plain and compressed."""
    folder = tmp_path_factory.mktemp("original")
    found = {}
    for suffix in (".json", ".json.gz"):
        write_save(folder / f"game{suffix}", small_save())
        found[suffix] = (folder / f"game{suffix}").read_bytes()
    assert 10_000 < len(found[".json"]) < 30_000 and found[".json.gz"][:2] == b"\x1f\x8b"
    return found


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the damaged copies (property tests cannot use ``tmp_path``)."""
    return tmp_path_factory.mktemp("damaged")


def problem_of(path: Path) -> str:
    """The problem ``read_save`` reports for ``path``; fails if it reads the file."""
    with pytest.raises(SaveError) as caught:
        read_save(path)
    error = caught.value
    assert str(error) == f"{path}: {error.problem}"
    assert error.file == str(path)
    return error.problem


def assert_refused_or_unchanged(path: Path) -> None:
    """Reading the damaged ``path`` raises SaveError with a known message, or gives the
    original game; any other exception propagates and fails the test."""
    try:
        back = read_save(path)
    except SaveError as error:
        assert str(error) == f"{path}: {error.problem}"
        assert "\n" not in error.problem
        assert any(re.fullmatch(p, error.problem) for p in PROBLEMS), error.problem
        return
    assert back == small_save()


# ----------------------------------------------------------------------------- properties


@DAMAGE
@given(suffix=st.sampled_from([".json", ".json.gz"]), data=st.data())
def test_a_byte_replaced_anywhere_is_refused_or_changes_nothing(
    files: dict[str, bytes], scratch: Path, suffix: str, data: st.DataObject
) -> None:
    original = files[suffix]
    offset = data.draw(st.integers(0, len(original) - 1), label="offset")
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[offset]), label="byte")
    damaged = bytearray(original)
    damaged[offset] = byte
    path = scratch / f"replaced{suffix}"
    path.write_bytes(bytes(damaged))
    assert_refused_or_unchanged(path)


@DAMAGE
@given(data=st.data())
def test_a_newline_between_fields_turned_into_other_whitespace_changes_nothing(
    files: dict[str, bytes], scratch: Path, data: st.DataObject
) -> None:
    original = files[".json"]
    newlines = [i for i, b in enumerate(original) if b == ord("\n")]
    offset = data.draw(st.sampled_from(newlines), label="offset")
    damaged = bytearray(original)
    damaged[offset] = data.draw(st.sampled_from(b" \t\r"), label="byte")
    path = scratch / "whitespace.json"
    path.write_bytes(bytes(damaged))
    assert read_save(path) == small_save()


@DAMAGE
@given(data=st.data())
def test_the_gzip_header_timestamp_and_system_change_nothing(
    files: dict[str, bytes], scratch: Path, data: st.DataObject
) -> None:
    """Bytes 4 to 9 of a gzip member (mtime, extra flags, OS) are not checked by anyone."""
    damaged = bytearray(files[".json.gz"])
    damaged[data.draw(st.integers(4, 9), label="offset")] ^= data.draw(st.integers(1, 255))
    path = scratch / "header.json.gz"
    path.write_bytes(bytes(damaged))
    assert read_save(path) == small_save()


@DAMAGE
@given(suffix=st.sampled_from([".json", ".json.gz"]), data=st.data())
def test_a_save_cut_short_anywhere_is_refused(
    files: dict[str, bytes], scratch: Path, suffix: str, data: st.DataObject
) -> None:
    original = files[suffix]
    # The last byte of a plain save is the newline after the closing brace: see below.
    longest = len(original) - (2 if suffix == ".json" else 1)
    length = data.draw(st.integers(0, longest), label="length")
    path = scratch / f"cut{suffix}"
    path.write_bytes(original[:length])
    problem = problem_of(path)
    assert any(re.fullmatch(p, problem) for p in PROBLEMS), problem


@pytest.mark.parametrize("suffix", [".json", ".json.gz"])
def test_a_save_cut_short_at_the_edges_is_refused(
    files: dict[str, bytes], tmp_path: Path, suffix: str
) -> None:
    original = files[suffix]
    ends = 2 if suffix == ".json" else 1
    for length in (0, 1, 2, 10, len(original) // 2, len(original) - ends):
        path = tmp_path / f"cut-{length}{suffix}"
        path.write_bytes(original[:length])
        problem = problem_of(path)
        if length == 0:
            assert problem == "the file is empty"
        elif suffix == ".json.gz":
            # One byte, 0x1f, is read as text: a control character, blank to str.strip().
            assert problem == ("the file is empty" if length == 1
                               else "the compressed save is truncated or corrupt")
        else:
            assert re.fullmatch(PROBLEMS[1], problem), problem


def test_a_save_missing_only_its_final_newline_is_still_whole(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    """Cutting the trailing newline leaves the complete JSON document: nothing is lost, so
    the save reads as it was written (the one cut that is not refused)."""
    original = files[".json"]
    assert original.endswith(b"\n}\n")
    path = tmp_path / "game.json"
    path.write_bytes(original[:-1])
    assert read_save(path) == small_save()


# ----------------------------------------------------------------------------- not a save


def test_a_missing_file(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "nowhere.json") == "no such file"


@pytest.mark.parametrize("text", ["", "   \n\n", "\t"])
def test_an_empty_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "game.json"
    path.write_text(text)
    assert problem_of(path) == "the file is empty"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hello", "line 1, column 1: not valid JSON (Expecting value); "
                  "the file is truncated or corrupt"),
        ('{\n"format": redline\n}', "line 2, column 11: not valid JSON (Expecting value); "
                                    "the file is truncated or corrupt"),
        ('{"format": "redline-save",', "line 1, column 27: not valid JSON (Expecting property "
                                       "name enclosed in double quotes); the file is truncated "
                                       "or corrupt"),
        ("[1, 2]", "not a Redline save (it has no 'format' field)"),
        ('{"format": "chess-pgn"}', "not a Redline save (format 'chess-pgn', "
                                    "expected 'redline-save')"),
        ('{"format": "redline-save", "format_version": "1"}',
         "the save format version is '1', not a number"),
    ],
)
def test_a_file_that_is_not_a_save(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "game.json"
    path.write_text(text)
    assert problem_of(path) == problem
    assert path.read_text() == text  # nothing is written over it


def test_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert problem_of(path) == "not a Redline save: byte 0 is not UTF-8 text (the file is corrupt)"


def test_a_directory(tmp_path: Path) -> None:
    assert problem_of(tmp_path) == "is a directory, not a save"


def test_a_gzip_file_whose_stream_is_damaged(files: dict[str, bytes], tmp_path: Path) -> None:
    damaged = bytearray(files[".json.gz"])
    damaged[len(damaged) // 2] ^= 0xFF
    path = tmp_path / "game.json.gz"
    path.write_bytes(bytes(damaged))
    assert problem_of(path) == "the compressed save is truncated or corrupt"


def test_an_old_game_record_is_refused_with_how_to_play_it_again(tmp_path: Path) -> None:
    """``redline run --out`` used to write the game record (format ``redline-run``), which
    holds the turns but not the content they were played with."""
    record = {
        "format": "redline-run", "format_version": 1, "engine_version": "0.0.9",
        "scenario": "tutorial", "seed": 3, "bots": {"us": "random"},
        "turns": [{"turn": 1, "orders": [], "events": [], "digest": "0" * 64}],
        "final_digest": "0" * 64, "outcomes": {},
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(record, indent=2))
    assert problem_of(path) == (
        "this is a game record from an earlier Redline, which does not embed its content and "
        "cannot be replayed; play it again with 'redline run SCENARIO --seed 3 --out FILE'"
    )
    del record["seed"]
    path.write_text(json.dumps(record))
    assert problem_of(path).endswith("play it again with 'redline run SCENARIO --out FILE'")


def test_a_save_written_by_a_newer_redline(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    write_save(path, small_save())
    document = json.loads(path.read_text())
    document.update(format_version=2, engine_version="9.0.0")
    document["checksum"] = checksum(document)
    path.write_text(json.dumps(document))
    assert problem_of(path) == (
        f"written by a newer Redline (9.0.0, save format 2); this Redline {__version__} reads "
        "save format 1 at most"
    )


def test_a_save_of_a_format_version_nothing_migrates(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    write_save(path, small_save())
    edit_document(path, lambda d: d.update(format_version=0))
    assert problem_of(path) == "save format 0 is older than any this Redline can read or migrate"


# ----------------------------------------------------------------------------- edited by hand


def test_an_edit_that_keeps_valid_json_breaks_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    write_save(path, small_save())
    text = path.read_text()
    assert '"seed":3,' in text
    path.write_text(text.replace('"seed":3,', '"seed":4,'))
    json.loads(path.read_text())
    assert problem_of(path) == (
        "the checksum does not match the contents: the file was damaged or edited after it "
        "was written"
    )


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda d: d["turns"][1].update(turn=5),
         "malformed save: turns[1]: turn 5 where turn 2 belongs"),
        (lambda d: d.update(seed="3"),
         "malformed save: seed: expected a whole number, found str"),
        (lambda d: d["content"]["files"]["rules/tutorial.yaml"].update(text="ruleset: x\n"),
         "malformed save: content.files.rules/tutorial.yaml: the text does not match its sha256"),
        (lambda d: d["turns"][0]["orders"][0][1].__setitem__(0, symbol(d, "fly us-2cr home")),
         "malformed save: turns[0].orders: unknown order 'fly': use move, attack or act"),
        (lambda d: d["turns"][1]["events"][0][2][0].__setitem__(0, symbol(d, "bogus")),
         "malformed save: turns[1].events: unknown event kind 'bogus'"),
        (lambda d: d["turns"][2].pop("digest"), "malformed save: turns[2].digest: missing"),
    ],
    ids=["turn-number", "seed", "content", "order", "event", "digest"],
)
def test_a_field_edited_into_the_wrong_shape_is_named(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], problem: str
) -> None:
    path = tmp_path / "game.json"
    write_save(path, small_save())
    edit_document(path, edit)
    assert problem_of(path) == problem


def test_an_edited_order_makes_the_replay_diverge_at_its_turn(tmp_path: Path) -> None:
    """Turn 2 of the tutorial (seed 3): the US's precision strike replaced by a statement
    of support for Poland; the first event of the turn differs."""
    path = tmp_path / "game.json"
    write_save(path, small_save())
    us_orders = [o.text() for o in small_save().turn(2).orders if o.actor == "us"]
    assert us_orders == ["act precision_strike"]

    def edit(document: dict[str, Any]) -> None:
        strike = document["symbols"].index("act precision_strike")
        statement = symbol(document, "act statement poland")
        turn = document["turns"][1]
        turn["orders"] = [[actor, [statement if o == strike else o for o in given]]
                          for actor, given in turn["orders"]]

    edit_document(path, edit)
    replay = Replay.open(path)  # the checksum is right: only the replay can tell
    assert replay.state_at(2) == recorded(TUTORIAL, 3).states[2]
    with pytest.raises(ReplayMismatch) as caught:
        replay.verify()
    assert caught.value.turn == 2
    assert str(caught.value) == (
        "the replay diverges at turn 2: turn event 1 differs: recorded [poland takes "
        "'sanctions' on us (cost 3)] (action:poland:sanctions), replayed [us takes 'statement' "
        "on poland (cost 1)] (action:us:statement)"
    )


def test_an_edited_digest_makes_the_replay_diverge_at_its_turn(tmp_path: Path) -> None:
    path = tmp_path / "game.json"
    write_save(path, small_save())
    edit_document(path, lambda d: d["turns"][1].update(digest="0" * 64))
    real = recorded(TUTORIAL, 3).states[3].digest()
    with pytest.raises(ReplayMismatch) as caught:
        Replay.open(path).verify()
    assert str(caught.value) == (
        f"the replay diverges at turn 2: the state's digest is {real[:12]} where 000000000000 "
        "was recorded; the state differs although every event matches"
    )


def test_an_edited_keyframe_is_caught_before_it_is_used(tmp_path: Path) -> None:
    """A keyframe whose state was changed no longer matches the digest of the turn before:
    seeking refuses it, and verifying says what differs."""
    game = recorded(TUTORIAL, 3)
    saved = game.fresh_save()
    saved.turns = saved.turns[:2]
    state = game.states[3]
    saved.keyframes = {3: dataclasses.replace(state, budgets=(99.0,) * len(state.budgets))}
    path = tmp_path / "game.json"
    write_save(path, saved)  # a checksum that matches: only the replay can tell
    with pytest.raises(ReplayMismatch) as seeking:
        Replay.open(path).state_at(3)
    assert str(seeking.value) == (
        "the replay diverges at turn 2: the snapshot of the state after it does not match its "
        "digest"
    )
    with pytest.raises(ReplayMismatch) as verifying:
        Replay.open(path).verify()
    assert verifying.value.turn == 2
    assert str(verifying.value).startswith(
        "the replay diverges at turn 2: the snapshot of the state after it differs from the "
        "replayed state: budget of us: 99 recorded, "
    )
