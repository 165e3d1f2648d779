"""The white cell: ``inject``, ``override``, ``injects`` and ``rewind``, each recorded in
the save with its reason, each replaying exactly; and every exercise command refuses a
game that is not an exercise, or one that is over."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.core.events import TriggerFired
from engine.saves import ControlRecord, Replay, read_save
from engine.saves.game import Rewind

from .support import (
    DEFAULT,
    TUTORIAL,
    copy_save,
    facilitate,
    fingerprint,
    ok,
    play,
    redline,
    table_rows,
    templates,
)

CALM = "{adjust: tension, scope: europe, by: -5}"
WORRY = "{adjust: tension, scope: asia, by: 2}"


@dataclass(frozen=True)
class Exercise:
    """The default scenario's exercise before turn 1, and after turns 1 and 2 (the last
    with an inject before turn 1 and an override and an inject after turn 1)."""

    fresh: Path
    controlled: Path
    outputs: dict[str, str]


@pytest.fixture(scope="module")
def exercise(tmp_path_factory: pytest.TempPathFactory) -> Exercise:
    fresh = facilitate(tmp_path_factory.mktemp("white-cell-fresh"))
    folder = tmp_path_factory.mktemp("white-cell")
    save = copy_save(fresh, folder)
    outputs = {
        "inject": ok("inject", save, "inject_zapad", "--reason", "Zapad starts early").out,
        "injects before": ok("injects", save).out,
    }
    play(save, templates(save))
    outputs["override"] = ok(
        "override", save, "--effect", CALM, "--effect", WORRY, "--reason", "talks in Geneva"
    ).out
    outputs["second inject"] = ok("inject", save, "inject_nato_summit").out
    play(save, templates(save))
    outputs["injects after"] = ok("injects", save).out
    return Exercise(fresh, save, outputs)


# ---------------------------------------------------------------------- inject and override


def test_an_inject_before_turn_1_is_recorded_with_its_reason(exercise: Exercise) -> None:
    lines = exercise.outputs["inject"].splitlines()
    assert lines[:4] == [
        "inject recorded before turn 1: Zapad starts early",
        "    trigger 'inject_zapad' fires",
        "    russia-mechanized_brigade-1 (russia, mechanized_brigade) placed in belarus",
        "    tension[europe] 55 -> 63",
    ]
    assert lines[4].startswith("    message to all: September 2026: Russia and Belarus hold")
    saved = read_save(exercise.controlled)
    assert saved.opening == (ControlRecord("inject", "Zapad starts early", "inject_zapad"),)
    assert [f"    {e.describe()}" for e in saved.opening_events] == lines[1:]


def test_an_override_and_an_inject_after_a_turn_are_recorded_with_their_reasons(
    exercise: Exercise,
) -> None:
    assert exercise.outputs["override"].splitlines() == [
        "override recorded after turn 1: talks in Geneva",
        "    tension[europe] 60.8 -> 55.8",
        "    tension[asia] 42.95 -> 44.95",
    ]
    second = exercise.outputs["second inject"].splitlines()
    assert second[:2] == [
        "inject recorded after turn 1: the white cell's inject",
        "    trigger 'inject_nato_summit' fires",
    ]
    saved = read_save(exercise.controlled)
    assert [t.turn for t in saved.turns] == [1, 2]
    assert saved.turns[0].controls == (
        ControlRecord(
            "override",
            "talks in Geneva",
            effects=(
                {"adjust": "tension", "scope": "europe", "by": -5},
                {"adjust": "tension", "scope": "asia", "by": 2},
            ),
        ),
        ControlRecord("inject", "the white cell's inject", "inject_nato_summit"),
    )
    assert [f"    {e.describe()}" for e in saved.turns[0].control_events] == [
        *exercise.outputs["override"].splitlines()[1:], *second[1:]
    ]
    assert saved.turns[1].controls == ()


def test_controls_replay_exactly(exercise: Exercise) -> None:
    Replay.open(exercise.controlled).verify()
    ran = ok("replay", exercise.controlled, "--verify")
    assert ran.out.startswith(f"{exercise.controlled}: replays exactly, 2 turns, every digest")
    replay = Replay.open(exercise.controlled)
    assert replay.state_at(2).digest() == replay.saved.turns[0].digest  # controls included


def test_injects_lists_the_scenarios_injects_and_which_fired(exercise: Exercise) -> None:
    replay = Replay.open(exercise.controlled)
    triggers = replay.game.scenario.triggers
    fired = {"inject_zapad": "turn 1"}
    before = table_rows(exercise.outputs["injects before"])
    assert before == [
        [trigger_id, fired.get(trigger_id, "-"), trigger.description]
        for trigger_id, trigger in triggers.items()
    ]
    # after: the injects, and whatever fired by itself, as the save's events tell
    saved = replay.saved
    fired = {e.trigger: "turn 1" for e in saved.opening_events if isinstance(e, TriggerFired)}
    for turn in saved.turns:
        for event in turn.events:
            if isinstance(event, TriggerFired):
                fired.setdefault(event.trigger, f"turn {turn.turn}")
        for event in turn.control_events:
            if isinstance(event, TriggerFired):
                fired.setdefault(event.trigger, f"turn {turn.turn + 1}")
    assert fired["inject_zapad"] == "turn 1" and fired["inject_nato_summit"] == "turn 2"
    after = table_rows(exercise.outputs["injects after"])
    assert [row[:2] for row in after] == [[t, fired.get(t, "-")] for t in triggers]
    ran = ok("injects", exercise.controlled)
    assert ran.err == "fire one with: redline inject SAVE INJECT --reason TEXT\n"
    assert ran.out.splitlines()[0].strip() == "Injects of the scenario"


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ["inject", "{save}", "posture_frence", "--reason", "test"],
            [
                "{save} (control after turn 0): error: no trigger 'posture_frence' to inject",
                "    hint: did you mean 'posture_france'?",
                "error: {save}: the inject was refused; nothing was recorded",
            ],
        ),
        (
            ["inject", "{save}", "russian_mobilisation", "--reason", "test"],
            [
                "{save} (control after turn 0): error: no trigger 'russian_mobilisation' to "
                "inject",
                "    hint: injects name a trigger of the scenario",
                "error: {save}: the inject was refused; nothing was recorded",
            ],
        ),
        (
            ["override", "{save}", "--effect", CALM, "--effect",
             "{adjust: tensoin, scope: asia, by: 2}", "--reason", "calm"],
            [
                "{save} (control after turn 0): error: at override[1].adjust: unknown track "
                "'tensoin'",
                "    hint: did you mean 'tension'?",
                "error: {save}: the override was refused; nothing was recorded",
            ],
        ),
        (
            ["override", "{save}", "--effect", CALM, "--reason", ""],
            ["error: give a --reason: it is recorded in the save and read in the reports"],
        ),
        (
            ["override", "{save}", "--effect", "{adjust: [", "--reason", "x"],
            [
                "--effect 1:2:1: error: YAML syntax error: did not find expected node content",
                "    hint: check the line for a missing ':' or quote, or inconsistent "
                "indentation",
                "error: --effect '{adjust: [' is not YAML",
            ],
        ),
        (
            ["override", "{save}", "--effect", CALM, "--effect", "[1, 2]", "--reason", "x"],
            ["error: --effect '[1, 2]': write a mapping, e.g. '{adjust: tension, by: -5}'"],
        ),
        (
            ["override", "{save}", "--effect", "tension", "--reason", "x"],
            ["error: --effect 'tension': write a mapping, e.g. '{adjust: tension, by: -5}'"],
        ),
    ],
)
def test_a_wrong_control_is_refused_and_the_save_left_alone(
    exercise: Exercise, tmp_path: Path, args: list[str], lines: list[str]
) -> None:
    save = copy_save(exercise.fresh, tmp_path)
    before = fingerprint(save)
    ran = redline(*[str(save) if a == "{save}" else a for a in args])
    assert (ran.code, ran.out) == (1, "")
    assert ran.err.splitlines() == [line.replace("{save}", str(save)) for line in lines]
    assert fingerprint(save) == before


def test_a_sheet_written_before_a_control_is_refused_and_a_new_one_plays(
    exercise: Exercise, tmp_path: Path
) -> None:
    save = copy_save(exercise.fresh, tmp_path)
    old = templates(save)
    ok("inject", save, "inject_poisoning", "--reason", "a poisoning in Salisbury")
    ran = redline("turn", save, *[p for s in old.values() for p in ("--orders", s)])
    assert ran.code == 1
    assert ran.err.count("this sheet was written for another state of turn 1") == 3
    for sheet in old.values():
        sheet.unlink()
    play(save, templates(save))
    Replay.open(save).verify()


# ---------------------------------------------------------------------- rewind


@pytest.fixture
def rewound(exercise: Exercise, tmp_path: Path) -> tuple[Path, str, str]:
    """A copy of the controlled exercise taken back to turn 2: the save, what rewind
    printed, and the digest of the game it dropped."""
    save = copy_save(exercise.controlled, tmp_path)
    dropped = read_save(save).turns[-1].digest
    ran = ok("rewind", save, "--to-turn", "2", "--reason", "the summit went too far")
    return save, ran.out, dropped


def test_rewind_keeps_the_turns_before_and_records_what_it_dropped(
    exercise: Exercise, rewound: tuple[Path, str, str]
) -> None:
    save, out, dropped = rewound
    backup = save.parent / "autosave" / "game.rewound-turns-002-002.json"
    assert out == (
        f"{save}: back at the start of turn 2 (the summit went too far); turns 2 to 2 are "
        f"kept in {backup}\n"
    )
    saved = read_save(save)
    original = read_save(exercise.controlled)
    assert saved.turns == original.turns[:1]  # turn 1 and the controls after it
    assert saved.rewinds == [Rewind(3, 2, "the summit went too far", dropped)]
    assert saved.opening == original.opening and saved.teams == original.teams
    Replay.open(save).verify()
    kept = Replay.open(backup)
    kept.verify()
    assert kept.saved.turns == original.turns
    assert kept.saved.turns[-1].digest == dropped


def test_after_a_rewind_the_turn_is_played_again_and_the_rewind_stays_recorded(
    rewound: tuple[Path, str, str],
) -> None:
    save, _out, dropped = rewound
    ran = play(save, templates(save))
    assert ran.out.startswith("turn 2 2025-02: ")
    saved = read_save(save)
    assert [t.turn for t in saved.turns] == [1, 2]
    assert saved.rewinds == [Rewind(3, 2, "the summit went too far", dropped)]
    Replay.open(save).verify()


def test_rewind_to_the_first_turn_keeps_the_opening_controls(
    exercise: Exercise, tmp_path: Path
) -> None:
    save = copy_save(exercise.controlled, tmp_path)
    ok("rewind", save, "--to-turn", "1", "--reason", "start again")
    saved = read_save(save)
    assert saved.turns == []
    assert saved.opening == read_save(exercise.controlled).opening
    assert saved.rewinds[0].from_turn == 3 and saved.rewinds[0].to_turn == 1
    assert (tmp_path / "autosave" / "game.rewound-turns-001-002.json").is_file()
    Replay.open(save).verify()


@pytest.mark.parametrize("turn", ["0", "3", "-1"])
def test_rewind_refuses_a_turn_out_of_range(
    exercise: Exercise, tmp_path: Path, turn: str
) -> None:
    save = copy_save(exercise.controlled, tmp_path)
    before = fingerprint(save)
    ran = redline("rewind", save, "--to-turn", turn, "--reason", "x")
    assert (ran.code, ran.out, ran.err) == (
        1, "", f"error: --to-turn {turn}: this exercise can go back to turns 1 to 2\n"
    )
    assert fingerprint(save) == before
    assert not (tmp_path / "autosave").exists()


# ---------------------------------------------------------------------- not an exercise


def not_an_exercise_commands(save: Path) -> list[list[str]]:
    return [
        ["orders-template", str(save), "--team", "us"],
        ["turn", str(save)],
        ["inject", str(save), "inject_zapad", "--reason", "x"],
        ["override", str(save), "--effect", CALM, "--reason", "x"],
        ["rewind", str(save), "--to-turn", "1", "--reason", "x"],
        ["injects", str(save)],
    ]


def test_every_exercise_command_refuses_a_game_that_is_not_an_exercise(tmp_path: Path) -> None:
    save = tmp_path / "run.json"
    ok("run", DEFAULT, "--seed", "3", "--turns", "1", "--out", save)
    before = fingerprint(save)
    for args in not_an_exercise_commands(save):
        ran = redline(*args)
        assert (ran.code, ran.out, ran.err) == (
            1,
            "",
            f"error: {save}: this game is not an exercise (it has no teams); start one with "
            "'redline facilitate SCENARIO'\n",
        ), args
    assert fingerprint(save) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]


def test_an_exercise_that_is_over_takes_no_more_sheets_nor_controls(tmp_path: Path) -> None:
    save = facilitate(tmp_path, "nato=human:us,poland", scenario=TUTORIAL)
    for _ in range(6):
        play(save, templates(save, ("nato",)))
    assert [t.turn for t in read_save(save).turns] == [1, 2, 3, 4, 5, 6]
    before = fingerprint(save)
    message = (
        f"error: {save}: the exercise is over after turn 6; 'redline report' writes the "
        "after-action report\n"
    )
    commands: list[list[str | Path]] = [
        ["orders-template", save, "--team", "nato"],
        ["turn", save],
        ["inject", save, "inject_zapad", "--reason", "x"],
        ["override", save, "--effect", "{adjust: tension, scope: europe, by: -5}",
         "--reason", "x"],
    ]
    for args in commands:
        ran = redline(*args)
        assert (ran.code, ran.out, ran.err) == (1, "", message), args
    assert fingerprint(save) == before
    ok("rewind", save, "--to-turn", "6", "--reason", "play the last month again")
    (tmp_path / "game.turn-006.nato.yaml").unlink()
    play(save, templates(save, ("nato",)))
    Replay.open(save).verify()


# ---------------------------------------------------------------------- bugs


def test_rewind_before_any_turn_says_there_is_nothing_to_go_back_to(
    exercise: Exercise, tmp_path: Path
) -> None:
    save = copy_save(exercise.fresh, tmp_path)
    ran = redline("rewind", save, "--to-turn", "1", "--reason", "x")
    assert ran.code == 1
    assert "1 to 0" not in ran.err


def test_two_rewinds_to_one_turn_keep_both_dropped_games(
    exercise: Exercise, tmp_path: Path
) -> None:
    save = copy_save(exercise.controlled, tmp_path)
    ok("rewind", save, "--to-turn", "2", "--reason", "first")
    ok("override", save, "--effect", CALM, "--reason", "calmer this time")
    play(save, templates(save))
    ok("rewind", save, "--to-turn", "2", "--reason", "second")
    first, second = read_save(save).rewinds
    assert first.dropped_digest != second.dropped_digest
    kept = {
        read_save(path).turns[-1].digest
        for path in (tmp_path / "autosave").iterdir()
        if read_save(path).turns
    }
    assert first.dropped_digest in kept
    assert second.dropped_digest in kept
