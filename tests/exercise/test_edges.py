"""The edges of an exercise a facilitator can run into: each refused clearly, or handled.

A saved exercise is not resumed like a solo game; controls given one by one replay one by
one; no YAML tag, NaN or infinity reaches a save; a new team cannot take an existing
team's name; an existing file is not replaced without --force; every control needs a
reason; and the reports tell the news the white cell gave and which orders came to
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.saves import Replay, read_save

from .support import (
    TUTORIAL,
    attempt,
    copy_save,
    facilitate,
    fingerprint,
    give,
    ok,
    play,
    redline,
    templates,
    variant,
)


def rewrite(sheet: Path, old: str, new: str) -> None:
    """Edit a sheet as a person would, once."""
    text = sheet.read_text(encoding="utf-8")
    assert old in text
    sheet.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def exercise(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default scenario's exercise before turn 1."""
    return facilitate(tmp_path_factory.mktemp("edges"))


def test_an_exercise_is_not_resumed_like_a_solo_game(exercise: Path, tmp_path: Path) -> None:
    save = copy_save(exercise, tmp_path)
    before = fingerprint(save)
    ran = redline("play", "--resume", save)
    assert ran.code == 1
    assert ran.err.splitlines() == [
        f"error: {save} is a facilitated exercise: its turns are played with 'redline turn' "
        "(see 'redline orders-template'), not resumed"
    ]
    assert fingerprint(save) == before


def test_resume_and_screenshot_do_not_go_together(exercise: Path, tmp_path: Path) -> None:
    save = copy_save(exercise, tmp_path)
    ran = redline("play", "--resume", save, "--screenshot", tmp_path / "x.png")
    assert ran.code == 1
    assert "use 'redline replay SAVE --turn N --screenshot FILE'" in ran.err
    assert not (tmp_path / "x.png").exists()


def test_controls_given_one_by_one_replay_one_by_one(tmp_path: Path) -> None:
    """The second control fires a named event whose listener asks whether a message was
    sent this turn: given on its own, it saw no message, and so must the replay."""
    scenario = variant(
        tmp_path,
        "pinged",
        TUTORIAL,
        "teams: {blue: {name: Blue, actors: [us]}}\n"
        "triggers:\n"
        "  answer_ping:\n"
        "    on: ping\n"
        "    when: {happened: {event: message}}\n"
        "    effects: [{adjust: tension, scope: europe, by: 1}]\n",
    )
    save = facilitate(tmp_path, scenario=scenario)
    ok("override", save, "--effect", "{message: hello}", "--reason", "a message")
    ok("override", save, "--effect", "{fire: ping}", "--reason", "a ping")
    ok("replay", save, "--verify")
    opening = read_save(save).opening_events
    assert [e.kind for e in opening] == ["message", "named_event"]


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        ("{message: !x hi}", "unsupported YAML tag '!x'"),
        ("{message: !!binary aGk=}", "holds something other than text"),
        ("{adjust: tension, scope: europe, by: .nan}", "holds something other than text"),
        ("{adjust: tension, scope: europe, by: 1e400}", "an effect's number is not finite"),
    ],
)
def test_no_tag_nan_or_infinity_reaches_a_save(
    exercise: Path, tmp_path: Path, effect: str, message: str
) -> None:
    save = copy_save(exercise, tmp_path)
    before = fingerprint(save)
    ran = attempt("override", save, "--effect", effect, "--reason", "bad input")
    assert ran.code == 1 and ran.exception is None
    assert message in ran.err
    assert fingerprint(save) == before


def test_a_yaml_tag_in_a_sheet_is_named_at_its_line(exercise: Path, tmp_path: Path) -> None:
    save = copy_save(exercise, tmp_path)
    sheets = templates(save)
    rewrite(sheets["us"], "  state: '", "  state: !!python/name:os.system '")
    ran = attempt("turn", save, *[part for p in sheets.values() for part in ("--orders", p)])
    assert ran.code == 1 and ran.exception is None
    assert "error: unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'" in ran.err


def test_a_new_team_cannot_take_an_existing_teams_name(tmp_path: Path) -> None:
    ran = redline("facilitate", TUTORIAL.parent / "default.yaml", "--out", tmp_path / "x.json",
                  "--team", "europe=human:uk")
    assert ran.code == 1
    assert "there is already a team 'europe'" in ran.err
    assert not (tmp_path / "x.json").exists()


def test_turn_does_not_replace_another_file_without_force(
    exercise: Path, tmp_path: Path
) -> None:
    save = copy_save(exercise, tmp_path)
    other = tmp_path / "notes.json"
    other.write_text("the room's notes", encoding="utf-8")
    ran = redline("turn", save, "--out", other,
                  *[part for p in templates(save).values() for part in ("--orders", p)])
    assert ran.code == 1
    assert ran.err.splitlines()[-1] == (
        f"error: --out {other} exists; choose another name, or add --force"
    )
    assert other.read_text(encoding="utf-8") == "the room's notes"


@pytest.mark.parametrize(
    "args",
    [
        ("inject", "{save}", "inject_poisoning", "--reason", " "),
        ("rewind", "{save}", "--to-turn", "1", "--reason", ""),
    ],
)
def test_every_control_needs_a_reason(
    exercise: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    save = copy_save(exercise, tmp_path)
    ok("turn", save, *[part for p in templates(save).values() for part in ("--orders", p)])
    before = fingerprint(save)
    ran = redline(*(a.format(save=save) for a in args))
    assert ran.code == 1
    assert ran.err.splitlines() == [
        "error: give a --reason: it is recorded in the save and read in the reports"
    ]
    assert fingerprint(save) == before


def test_a_sheet_whose_turn_is_not_a_number_is_named(exercise: Path, tmp_path: Path) -> None:
    save = copy_save(exercise, tmp_path)
    sheets = templates(save)
    rewrite(sheets["us"], "  turn: 1", "  turn: '1'")
    ran = redline("turn", save, *[part for p in sheets.values() for part in ("--orders", p)])
    assert ran.code == 1
    assert "error: at sheet.turn: 'turn' must be a turn number, not '1'" in ran.err
    assert "no sheet from team us" not in ran.err


def test_the_reports_give_the_news_and_the_orders_that_came_to_nothing(
    exercise: Path, tmp_path: Path
) -> None:
    save = copy_save(exercise, tmp_path)
    ok("inject", save, "--news", "FLASH: a cable is cut in the Baltic", "--reason", "on the spot")
    sheets = templates(save)
    assert "#   FLASH: a cable is cut in the Baltic" in sheets["us"].read_text(encoding="utf-8")
    us = sheets["us"]
    us.write_text(
        give(us.read_text(encoding="utf-8"), "us", "act joint_exercise us_japan_rok"),
        encoding="utf-8",
    )
    play(save, sheets)
    report = (tmp_path / "game-reports" / "turn-001-us.md").read_text(encoding="utf-8")
    assert "## News before the turn\n\n- news: FLASH: a cable is cut in the Baltic" in report
    replay = Replay.open(save)
    voided = [e for e in replay.events_of(1) if e.kind == "action_voided" and e.actor == "us"]
    line = "- us: `act joint_exercise us_japan_rok`: "
    if voided:
        assert f"{line}void: {voided[0].reason}" in report  # type: ignore[attr-defined]
    else:
        assert f"{line}carried out" in report


def test_a_team_report_can_be_asked_for_as_on_the_command_line(
    exercise: Path, tmp_path: Path
) -> None:
    save = copy_save(exercise, tmp_path)
    play(save, templates(save))
    ran = ok("report", save, "--out", tmp_path / "aar", "--team", "JAPAN-ROK")
    assert ran.out.startswith(f"wrote {tmp_path / 'aar' / 'index.html'}")

