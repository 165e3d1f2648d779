"""Mistakes on sheets: each is named with its sheet, line and column and the order as
written; every mistake of every sheet comes in one run, and while any is there nothing is
played, saved or reported.  Once the sheets are put right, the turn plays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.core.observation import observe
from engine.saves import Replay, read_save

from .support import (
    DEFAULT_PEOPLE,
    copy_save,
    facilitate,
    fingerprint,
    give,
    ok,
    place,
    play,
    redline,
    templates,
)


@dataclass(frozen=True)
class Start:
    """The default scenario's exercise before turn 1 and its untouched sheets."""

    save: Path
    sheets: dict[str, Path]
    texts: dict[str, str]


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Start:
    save = facilitate(tmp_path_factory.mktemp("sheet-errors"))
    sheets = templates(save)
    return Start(save, sheets, {t: p.read_text(encoding="utf-8") for t, p in sheets.items()})


@pytest.fixture
def save(start: Start, tmp_path: Path) -> Path:
    """This test's copy of the exercise."""
    return copy_save(start.save, tmp_path)


def sheet(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def orders_args(*sheets: Path) -> list[str]:
    return [part for s in sheets for part in ("--orders", str(s))]


def refused(save: Path, *sheets: Path) -> list[str]:
    """``redline turn`` with ``sheets``, which must refuse and leave everything alone: the
    lines it printed on standard error."""
    before = fingerprint(save)
    ran = redline("turn", save, *orders_args(*sheets))
    assert (ran.code, ran.out) == (1, "")
    assert fingerprint(save) == before
    assert not (save.parent / f"{save.stem}-reports").exists()
    assert not (save.parent / "autosave").exists()
    return ran.err.splitlines()


def at(path: Path, needle: str) -> str:
    line, column = place(path, needle)
    return f"{path}:{line}:{column}"


def last_line(count: int) -> str:
    return (
        f"error: turn 1 was not played: {count} problem{'s' * (count != 1)} in the sheets; "
        "correct them and run 'redline turn' again"
    )


def missing(save: Path, team: str) -> list[str]:
    return [
        f"{save}: error: no sheet from team {team}",
        f"    hint: redline orders-template {save} --team {team}, or play the turn with --view",
    ]


# ---------------------------------------------------------------------- all at once


QUOTED = "'russia: act"
"""Where the quoted order starts: at its quote."""


def test_every_mistake_of_every_sheet_is_named_in_one_run(
    start: Start, save: Path, tmp_path: Path
) -> None:
    replay = Replay.open(save)
    truth = replay.state_at(1)
    visible = {u.id for u in observe(replay.spec, truth, "us").state.units}
    assert "ru-11ac" in visible  # in Kaliningrad, in sight
    assert {"ru-22ac", "ru-pf"} <= {u.id for u in truth.units} - visible  # out of sight
    us = sheet(tmp_path, "us.yaml", give(
        start.texts["us"], "us",
        "move us-2cr poland",
        "move us-2cr nordic",
        "fly us-2cr home",
        "attack poland with",
        "move uk-csg north_atlantic",
        "move ru-11ac poland",
        "move ru-22ac poland",
        "move ru-pf hawaii",
        "'russia: act sanctions us'",
        "{move: us-2cr}",
    ))
    europe_text = give(
        start.texts["europe"], "uk",
        "move uk-csg mediteranean", "act defense_aid_ukraine", "act joint_exercise nato",
    )
    europe = sheet(tmp_path, "europe.yaml", europe_text + "  us:\n    - move us-6flt middle_east\n")
    japan = sheet(tmp_path, "japan.yaml", start.texts["japan_rok"].replace(
        "\n  turn: 1\n", "\n  turn: 2\n"))
    turn_line, turn_column = place(japan, "turn: 2")
    assert refused(save, us, europe, japan) == [
        f"{at(us, 'move us-2cr nordic')}: error: at orders.us[1]: order 'move us-2cr nordic' "
        "refused (already_ordered): us-2cr already has an order",
        f"{at(us, 'fly us-2cr')}: error: at orders.us[2]: cannot read the order: unknown "
        "order 'fly': use move, attack or act",
        f"{at(us, 'attack poland with')}: error: at orders.us[3]: cannot read the order: "
        "'attack poland with': write 'attack AREA with UNIT [UNIT ...]'",
        f"{at(us, 'move uk-csg')}: error: at orders.us[4]: order 'move uk-csg north_atlantic' "
        "refused (not_yours): uk-csg belongs to uk",
        f"{at(us, 'move ru-11ac')}: error: at orders.us[5]: order 'move ru-11ac poland' "
        "refused (not_yours): ru-11ac belongs to russia",
        # a hostile unit out of sight is not there, as for a unit that does not exist, and
        # the guess is one of the US's own units
        f"{at(us, 'move ru-22ac')}: error: at orders.us[6]: order 'move ru-22ac poland' "
        "refused (unknown_unit): there is no unit 'ru-22ac'",
        "    hint: did you mean 'us-2cr'?",
        f"{at(us, 'move ru-pf')}: error: at orders.us[7]: order 'move ru-pf hawaii' "
        "refused (unknown_unit): there is no unit 'ru-pf'",
        f"{at(us, QUOTED)}: error: at orders.us[8]: 'russia: act sanctions us' is an "
        "order of russia, under us",
        f"{at(us, '{move')}: error: at orders.us[9]: an order is a line of text, not "
        "{'move': 'us-2cr'}",
        f"{at(europe, 'move uk-csg')}: error: at orders.uk[0]: order 'move uk-csg "
        "mediteranean' refused (unknown_area): there is no area 'mediteranean'",
        "    hint: did you mean 'mediterranean'?",
        f"{at(europe, 'act joint_exercise')}: error: at orders.uk[2]: order 'act "
        "joint_exercise nato' refused (no_budget): 'joint_exercise' costs 2.67333; uk has "
        "0.8 left",
        # the actor's orders are where the mistake shows
        f"{at(europe, '- move us-6flt')}: error: at orders.us: 'us' is not on team europe",
        "    hint: its actors: uk, france, germany, poland, nordic_baltic, ukraine",
        f"{japan}:{turn_line}:{turn_column + len('turn: ')}: error: at sheet.turn: this "
        "sheet is for turn 2, and the game is at turn 1",
        "    hint: write a new one: redline orders-template SAVE --team japan_rok",
        # japan_rok handed in a sheet, if a wrong one: it is not also counted as missing
        last_line(13),
    ]


def test_once_the_sheets_are_right_the_turn_plays(start: Start, save: Path, tmp_path: Path) -> None:
    wrong = sheet(tmp_path, "us.yaml", give(start.texts["us"], "us", "move uk-csg mediteranean"))
    refused(save, wrong, start.sheets["europe"], start.sheets["japan_rok"])
    right = sheet(tmp_path, "us.yaml", give(start.texts["us"], "us", "move us-6flt middle_east"))
    ran = play(save, [right, start.sheets["europe"], start.sheets["japan_rok"]])
    assert ran.out.startswith("turn 1 2025-01: ")
    turn = read_save(save).turns[0]
    assert [o.text() for o in turn.orders if o.actor == "us"] == ["move us-6flt middle_east"]
    assert sorted(p.name for p in (tmp_path / "game-reports").iterdir()) == sorted(
        f"turn-001-{team}.md" for team in DEFAULT_PEOPLE
    )


# ---------------------------------------------------------------------- one at a time


def test_an_unknown_area_names_the_sheet_line_column_and_order(
    start: Start, save: Path, tmp_path: Path
) -> None:
    europe = sheet(tmp_path, "europe.yaml", give(
        start.texts["europe"], "uk", "move uk-raf nordic", "move uk-csg mediteranean"))
    line, column = place(europe, "move uk-csg mediteranean")
    assert column == 7
    assert refused(save, start.sheets["us"], europe, start.sheets["japan_rok"]) == [
        f"{europe}:{line}:7: error: at orders.uk[1]: order 'move uk-csg mediteranean' "
        "refused (unknown_area): there is no area 'mediteranean'",
        "    hint: did you mean 'mediterranean'?",
        last_line(1),
    ]


def test_a_sheet_written_before_an_override_is_refused(
    start: Start, save: Path
) -> None:
    ok("override", save, "--effect", "{adjust: tension, scope: europe, by: -5}",
       "--reason", "calm the crisis")
    lines = refused(save, *start.sheets.values())
    message = (
        "error: at sheet.state: this sheet was written for another state of turn 1 (the "
        "white cell has changed the game since)"
    )
    expected: list[str] = []
    for team in DEFAULT_PEOPLE:
        path = start.sheets[team]
        line, column = place(path, "state: '")
        expected += [
            f"{path}:{line}:{column + len('state: ')}: {message}",
            f"    hint: write a new one: redline orders-template SAVE --team {team}",
        ]
    assert lines == [*expected, last_line(3)]
    fresh = templates(save)
    play(save, fresh)
    Replay.open(save).verify()


def test_two_sheets_from_one_team_are_refused(start: Start, save: Path, tmp_path: Path) -> None:
    second = sheet(tmp_path, "us-again.yaml", start.texts["us"])
    line, column = place(second, "team: us")
    assert refused(save, *start.sheets.values(), second) == [
        f"{second}:{line}:{column + len('team: ')}: error: at sheet.team: team us already "
        f"handed in {start.sheets['us']}",
        "    hint: give one sheet per team",
        last_line(1),
    ]


@pytest.mark.parametrize(
    ("mistake", "needle", "message", "hint"),
    [
        (
            "    - move us-2cr: poland: x",
            "poland: x",
            "YAML syntax error: mapping values are not allowed in this context",
            "check the indentation: a nested value must be indented more than its key; text "
            "that contains ': ' must be in quotes",
        ),
        (
            "    - move us-2cr poland\n  - move us-6flt middle_east",
            "- move us-6flt",
            "YAML syntax error: did not find expected key",
            "check the indentation of this line against the lines above it",
        ),
    ],
)
def test_a_yaml_mistake_is_named_with_its_line_and_column(
    start: Start, save: Path, tmp_path: Path, mistake: str, needle: str, message: str, hint: str
) -> None:
    text = start.texts["us"].replace("\n  us:\n", f"\n  us:\n{mistake}\n", 1)
    us = sheet(tmp_path, "us.yaml", text)
    line, column = place(us, needle)
    if needle == "poland: x":
        column += len("poland")  # at the second ': '
    assert refused(save, us, start.sheets["europe"], start.sheets["japan_rok"]) == [
        f"{us}:{line}:{column}: error: {message}",
        f"    hint: {hint}",
        *missing(save, "us"),
        last_line(2),
    ]


def test_a_missing_sheet_is_named(start: Start, save: Path) -> None:
    assert refused(save, start.sheets["us"]) == [
        *missing(save, "europe"), *missing(save, "japan_rok"), last_line(2)
    ]
    assert refused(save) == [*(m for t in DEFAULT_PEOPLE for m in missing(save, t)), last_line(3)]


@pytest.mark.parametrize(
    ("old", "new", "needle", "lines"),
    [
        ("\nsheet:\n", "\nsheets:\n", "sheets:",
         ["error: not an order sheet", "    hint: it starts with 'sheet:' naming team and turn"]),
        ("  team: us", "  team: atlantis", "atlantis",
         ["error: at sheet.team: no team 'atlantis' in this exercise",
          "    hint: teams: us, europe, japan_rok"]),
        ("  team: us", "  team: russia", "russia",
         ["error: at sheet.team: team 'russia' is played by the computer"]),
        ("\n  us:\n", "\n  us: move us-2cr poland\n", "move us-2cr poland",
         ["error: at orders.us: orders are a list: one '- order' a line"]),
    ],
)
def test_a_sheet_that_is_not_a_teams_sheet_is_named(
    start: Start, save: Path, tmp_path: Path, old: str, new: str, needle: str, lines: list[str]
) -> None:
    text = start.texts["us"].replace(old, new, 1)
    assert text != start.texts["us"]
    us = sheet(tmp_path, "us.yaml", text)
    where = at(us, needle)  # the root of the document, or the value in question
    readable = needle == "move us-2cr poland"
    assert refused(save, us, start.sheets["europe"], start.sheets["japan_rok"]) == [
        f"{where}: {lines[0]}",
        *lines[1:],
        *([] if readable else missing(save, "us")),
        last_line(1 if readable else 2),
    ]


def test_a_sheet_that_is_not_there_is_named(start: Start, save: Path, tmp_path: Path) -> None:
    absent = tmp_path / "nowhere.yaml"
    assert refused(save, absent, start.sheets["europe"], start.sheets["japan_rok"]) == [
        f"{absent}: error: file not found",
        *missing(save, "us"),
        last_line(2),
    ]
