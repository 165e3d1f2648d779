"""``redline facilitate``: the scenario's teams, ``--team`` choices, what the save records,
and the checks on teams, both on the command line and in a scenario file."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.content import load_game
from engine.errors import ContentError
from engine.saves import read_save
from engine.saves.game import TeamRecord

from .support import (
    DEFAULT,
    SEED,
    TUTORIAL,
    attempt,
    facilitate,
    fingerprint,
    ok,
    redline,
    table_rows,
    template,
    variant,
)

ACTORS = (
    "australia, china, france, germany, japan, nordic_baltic, north_korea, philippines, "
    "poland, rok, russia, taiwan, uk, ukraine, us"
)
EUROPE = ("uk", "france", "germany", "poland", "nordic_baltic", "ukraine")
SCENARIO_TEAMS = {
    "us": TeamRecord("United States", ("us",), "human"),
    "europe": TeamRecord("Europe (NATO allies and Ukraine)", EUROPE, "human"),
    "japan_rok": TeamRecord("Japan and the ROK", ("japan", "rok"), "human"),
    "pacific": TeamRecord(
        "Pacific partners (Australia, the Philippines, Taiwan)",
        ("australia", "philippines", "taiwan"),
        "bot",
    ),
    "russia": TeamRecord("Russia", ("russia",), "bot"),
    "china": TeamRecord("China", ("china",), "bot"),
    "north_korea": TeamRecord("North Korea", ("north_korea",), "bot"),
}


def people(teams: dict[str, TeamRecord]) -> set[str]:
    return {a for t in teams.values() if t.player == "human" for a in t.actors}


def assert_players_follow_teams(save: Path) -> None:
    """Every actor of a team of people is played by a person, every other by a computer
    player (the scenario's doctrine)."""
    saved = read_save(save)
    humans = people(saved.teams)
    assert set(saved.players) == set(ACTORS.split(", "))
    for actor, kind in saved.players.items():
        assert (kind == "human") == (actor in humans), (actor, kind)
        if actor not in humans:
            assert kind == "doctrine", (actor, kind)


# ---------------------------------------------------------------------- the scenario's teams


def test_facilitate_starts_an_exercise_with_the_scenarios_teams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a short path: the lines printed are not wrapped
    save = Path("game.json")
    ran = ok("facilitate", DEFAULT, "--seed", str(SEED), "--out", save)
    lines = ran.out.splitlines()
    assert lines[0] == (
        f"Redline: two theaters, 2025-2026: exercise saved to {save}, seed 3, turn 1 of 24 "
        "(2025-01)"
    )
    assert table_rows(ran.out) == [
        [f"{team_id} ({team.name})", "people" if team.player == "human" else "computer",
         ", ".join(team.actors)]
        for team_id, team in SCENARIO_TEAMS.items()
    ]
    assert lines[-6:] == [
        "Each turn: hand every team of people its sheet,",
        f"  redline orders-template {save} --team us",
        f"  redline orders-template {save} --team europe",
        f"  redline orders-template {save} --team japan_rok",
        "then play the turn:",
        f"  redline turn {save} --orders SHEET-us --orders SHEET-europe --orders SHEET-japan_rok",
    ]
    assert ran.err == ""
    saved = read_save(save)
    assert saved.teams == SCENARIO_TEAMS
    assert list(saved.teams) == list(SCENARIO_TEAMS)  # the scenario's order
    assert saved.seed == SEED and saved.turns == [] and saved.rewinds == []
    assert_players_follow_teams(save)


def test_team_names_are_matched_without_case_and_with_dashes(tmp_path: Path) -> None:
    save = facilitate(tmp_path, "RUSSIA=human", "JAPAN-ROK=bot")
    teams = read_save(save).teams
    assert teams["russia"] == TeamRecord("Russia", ("russia",), "human")
    assert teams["japan_rok"] == TeamRecord("Japan and the ROK", ("japan", "rok"), "bot")
    assert {k: v for k, v in teams.items() if k not in ("russia", "japan_rok")} == {
        k: v for k, v in SCENARIO_TEAMS.items() if k not in ("russia", "japan_rok")
    }
    assert list(teams) == list(SCENARIO_TEAMS)
    saved = read_save(save)
    assert saved.players["russia"] == "human"
    assert saved.players["japan"] == saved.players["rok"] == "doctrine"
    assert_players_follow_teams(save)


def test_the_commands_printed_name_the_teams_of_people_after_the_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    save = Path("game.json")
    ran = ok("facilitate", DEFAULT, "--out", save, "--team", "Russia=human", "--team", "us=bot")
    assert f"  redline orders-template {save} --team russia" in ran.out.splitlines()
    assert f"  redline orders-template {save} --team us" not in ran.out.splitlines()
    assert ran.out.splitlines()[-1] == (
        f"  redline turn {save} --orders SHEET-europe --orders SHEET-japan_rok "
        "--orders SHEET-russia"
    )
    rows = {row[0]: row[1:] for row in table_rows(ran.out)}
    assert rows["russia (Russia)"] == ["people", "russia"]
    assert rows["us (United States)"] == ["computer", "us"]


def test_a_new_team_takes_its_actors_from_their_old_teams(tmp_path: Path) -> None:
    save = facilitate(tmp_path, "blue=human:us,uk")
    teams = read_save(save).teams
    assert "us" not in teams  # its only actor left it: the team is gone
    assert teams["europe"] == TeamRecord(
        "Europe (NATO allies and Ukraine)", EUROPE[1:], "human"
    )
    assert teams["blue"] == TeamRecord("blue", ("us", "uk"), "human")
    assert list(teams) == ["europe", "japan_rok", "pacific", "russia", "china", "north_korea",
                           "blue"]
    assert all(
        actor not in team.actors
        for team_id, team in teams.items()
        if team_id != "blue"
        for actor in ("us", "uk")
    )
    assert_players_follow_teams(save)


def test_a_new_team_of_computer_players_can_be_named_too(tmp_path: Path) -> None:
    save = facilitate(tmp_path, "Red-Cell=bot:russia,china", "Blue=human:us")
    teams = read_save(save).teams
    assert teams["red_cell"] == TeamRecord("Red-Cell", ("russia", "china"), "bot")
    assert teams["blue"] == TeamRecord("Blue", ("us",), "human")
    assert "russia" not in teams and "china" not in teams
    assert_players_follow_teams(save)


# ---------------------------------------------------------------------- refusals


UNKNOWN_TEAM = (
    "error: no team 'rusia': did you mean 'russia'? the teams are us, europe, japan_rok, "
    "pacific, russia, china, north_korea\n"
)
BAD_FORM = (
    "error: --team {choice!r}: write NAME=human or NAME=bot, or NAME=human:ACTOR,ACTOR for a "
    "new team\n"
)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["rusia=human"], UNKNOWN_TEAM),
        (["navy=bot"], "error: no team 'navy': the teams are us, europe, japan_rok, pacific, "
         "russia, china, north_korea\n"),
        (["russia"], BAD_FORM.format(choice="russia")),
        (["russia=alien"], BAD_FORM.format(choice="russia=alien")),
        (["=human"], BAD_FORM.format(choice="=human")),
        (["blue=people:us"], BAD_FORM.format(choice="blue=people:us")),
        (
            ["blue=human:us,atlantis"],
            f"error: --team 'blue=human:us,atlantis': no actor atlantis in default; the actors "
            f"are {ACTORS}\n",
        ),
        (
            ["us=bot", "europe=bot", "japan-rok=bot"],
            "error: no team is played by people: give one with --team NAME=human\n",
        ),
    ],
)
def test_a_wrong_team_choice_is_refused_and_nothing_is_saved(
    tmp_path: Path, choices: list[str], message: str
) -> None:
    save = tmp_path / "game.json"
    args = [part for choice in choices for part in ("--team", choice)]
    ran = redline("facilitate", DEFAULT, "--out", save, *args)
    assert (ran.code, ran.out, ran.err) == (1, "", message)
    assert not save.exists()


def test_a_scenario_without_teams_needs_a_new_team(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    ran = redline("facilitate", TUTORIAL, "--out", save)
    assert (ran.code, ran.err) == (
        1, "error: no team is played by people: give one with --team NAME=human\n"
    )
    ran = redline("facilitate", TUTORIAL, "--out", save, "--team", "us=human")
    assert (ran.code, ran.err) == (1, "error: no team 'us': the teams are none\n")
    assert not save.exists()
    ok("facilitate", TUTORIAL, "--out", save, "--team", "nato=human:us,poland")
    assert read_save(save).teams == {"nato": TeamRecord("nato", ("us", "poland"), "human")}
    # the tutorial has no doctrine: its computer players are the scenario's own (random)
    assert read_save(save).players == {"us": "human", "poland": "human", "russia": "random"}


def test_facilitate_does_not_replace_a_save_without_force(tmp_path: Path) -> None:
    save = facilitate(tmp_path)
    before = fingerprint(save)
    ran = redline("facilitate", TUTORIAL, "--out", save, "--team", "blue=human:us")
    assert (ran.code, ran.out, ran.err) == (
        1,
        "",
        f"error: {save} exists: starting an exercise there would replace it; choose another "
        "--out, or add --force\n",
    )
    assert fingerprint(save) == before
    ok("facilitate", TUTORIAL, "--out", save, "--team", "blue=human:us", "--force")
    assert read_save(save).scenario == "tutorial"


# ---------------------------------------------------------------------- teams in a scenario


TEAMS_BODY = """\
teams:
  blue: {name: Blue team, actors: [us, poland]}
  red: {name: Red team, actors: [russia], player: bot}
"""


def test_a_scenarios_teams_are_read_with_their_players(tmp_path: Path) -> None:
    scenario = variant(tmp_path, "tutorial_teams", TUTORIAL, TEAMS_BODY)
    save = facilitate(tmp_path, scenario=scenario)
    saved = read_save(save)
    assert saved.teams == {
        "blue": TeamRecord("Blue team", ("us", "poland"), "human"),
        "red": TeamRecord("Red team", ("russia",), "bot"),
    }
    assert saved.players == {"us": "human", "poland": "human", "russia": "random"}


def test_an_actor_on_two_teams_and_an_unknown_actor_are_refused(tmp_path: Path) -> None:
    body = """\
teams:
  blue: {name: Blue team, actors: [us, poland]}
  red: {name: Red team, actors: [russia, poland]}
  grey: {name: Grey team, actors: [atlantis]}
"""
    scenario = variant(tmp_path, "tutorial_bad_teams", TUTORIAL, body)
    lines = scenario.read_text(encoding="utf-8").split("\n")
    twice = (5, lines[4].index("poland]") + 1)  # the second team's 'poland'
    unknown = (6, lines[5].index("atlantis") + 1)
    with pytest.raises(ContentError) as caught:
        load_game(scenario)
    errors = [d for d in caught.value.diagnostics if d.severity == "error"]
    found = {(d.file, d.line, d.column, d.path, d.message, d.hint) for d in errors}
    assert found == {
        (str(scenario), *twice, "teams.red.actors[1]", "'poland' is already on team 'blue'",
         "an actor plays on one team"),
        (str(scenario), *unknown, "teams.grey.actors[0]", "unknown actor 'atlantis'",
         "known actors: poland, russia, us"),
    }
    save = tmp_path / "game.json"
    ran = redline("facilitate", scenario, "--out", save)
    assert ran.code == 1
    assert ran.err.splitlines() == [
        f"{scenario}:5:{twice[1]}: error: at teams.red.actors[1]: 'poland' is already on "
        "team 'blue'",
        "    hint: an actor plays on one team",
        f"{scenario}:6:{unknown[1]}: error: at teams.grey.actors[0]: unknown actor 'atlantis'",
        "    hint: known actors: poland, russia, us",
        f"error: {scenario}: cannot load the scenario (2 errors)",
    ]
    assert not save.exists()


def test_a_team_with_no_actors_is_refused_in_a_scenario(tmp_path: Path) -> None:
    body = "teams:\n  blue: {name: Blue team, actors: []}\n"
    scenario = variant(tmp_path, "tutorial_empty_team", TUTORIAL, body)
    with pytest.raises(ContentError) as caught:
        load_game(scenario)
    assert [d.path for d in caught.value.diagnostics if d.severity == "error"] == [
        "teams.blue.actors"
    ]


# ---------------------------------------------------------------------- bugs


def test_a_new_team_naming_an_actor_twice_is_refused_or_still_plays(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    ran = redline("facilitate", TUTORIAL, "--out", save, "--team", "blue=human:us,us")
    if ran.code == 1:
        assert not save.exists()
        return
    sheet = template(save, "blue")
    played = redline("turn", save, "--orders", sheet)
    assert played.code == 0, played.err


def test_a_new_team_with_no_actors_is_refused_or_its_turn_does_not_crash(
    tmp_path: Path,
) -> None:
    save = tmp_path / "game.json"
    ran = redline("facilitate", DEFAULT, "--out", save, "--team", "blue=human:,")
    if ran.code == 1:
        assert not save.exists()
        return
    teams = read_save(save).teams
    sheets = [template(save, t) for t, team in teams.items() if team.player == "human"]
    played = attempt("turn", save, *[part for s in sheets for part in ("--orders", s)])
    assert played.exception is None, repr(played.exception)


def test_the_commands_printed_stay_on_one_line_whatever_their_length(tmp_path: Path) -> None:
    folder = tmp_path / ("a-folder-with-a-rather-long-name-" * 3)
    folder.mkdir()
    save = folder / "game.json"
    ran = ok("facilitate", DEFAULT, "--out", save)
    command = (
        f"  redline turn {save} --orders SHEET-us --orders SHEET-europe --orders "
        "SHEET-japan_rok"
    )
    assert len(command) > 160
    assert command in ran.out.splitlines()
