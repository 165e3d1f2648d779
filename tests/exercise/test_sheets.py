"""``redline orders-template``: a team's sheet for the next turn, its actors only, what
each may see and do, and nothing a hostile player keeps out of sight."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from engine.core import Order, parse_order
from engine.core.observation import Observation, areas_in_sight, observe
from engine.exercise.sheets import check_sheet, when_of
from engine.exercise.teams import Team, saved_teams
from engine.exercise.turns import views
from engine.play.draft import OrderDraft
from engine.play.render import short_number
from engine.saves import Replay

from .support import ROOT, facilitate, fingerprint, ok, redline, template, uncomment

UNIT_LINE = re.compile(r"^    #   (?P<unit>\S+): (?P<kind>.+) (?P<strength>\S+) in (?P<area>\S+)$")
OPTION_LINE = re.compile(r"^    # - (?P<order>(move|attack) .+)$")
ACTION_LINE = re.compile(r"^    # - (?P<order>act .+?)   # (?P<cost>\S+)$")


@dataclass(frozen=True)
class Game:
    """The default scenario's exercise before turn 1 and what its actors see."""

    save: Path
    replay: Replay
    teams: dict[str, Team]
    seen: dict[str, Observation]


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Game:
    save = facilitate(tmp_path_factory.mktemp("sheets"))
    replay = Replay.open(save)
    position = replay.position(1)
    actors = [a.id for a in replay.spec.actors]
    seen = views(replay.rules, position, actors)
    return Game(save, replay, saved_teams(replay.saved.teams), seen)


@pytest.fixture(scope="module")
def sheets(game: Game) -> dict[str, str]:
    """The untouched sheets of the three teams of people, by team."""
    return {team: template(game.save, team).read_text(encoding="utf-8")
            for team in ("us", "europe", "japan_rok")}


def blocks(text: str) -> dict[str, list[str]]:
    """Each actor's lines of a sheet, by actor, in the sheet's order."""
    found: dict[str, list[str]] = {}
    body = text.split("\norders:\n", 1)[1].split("\n")
    current = ""
    for line in body:
        if re.fullmatch(r"  [a-z_]+:", line):
            current = line.strip().rstrip(":")
            found[current] = []
        elif line:
            found[current].append(line)
    return found


# ---------------------------------------------------------------------- where it is written


def test_the_sheet_is_written_beside_the_save_and_refused_over_a_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: the line printed is not wrapped
    save = facilitate(Path("."))
    ran = ok("orders-template", save, "--team", "us")
    expected = Path("game.turn-001.us.yaml")
    assert ran.out == f"wrote {expected}: the sheet of team us for turn 1\n"
    assert expected.is_file()
    expected.write_text("# my notes\n", encoding="utf-8")
    ran = redline("orders-template", save, "--team", "US")
    assert (ran.code, ran.out, ran.err) == (
        1, "", f"error: {expected} exists; choose another --out, or add --force to replace it\n"
    )
    assert expected.read_text(encoding="utf-8") == "# my notes\n"
    ok("orders-template", save, "--team", "us", "--force")
    assert expected.read_text(encoding="utf-8").startswith("# Redline order sheet: United States")


def test_out_writes_the_sheet_where_it_is_told(
    tmp_path: Path, game: Game, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("for-europe.yaml")
    ran = ok("orders-template", game.save, "--team", "Europe", "--out", target)
    assert ran.out == f"wrote {target}: the sheet of team europe for turn 1\n"
    before = fingerprint(target)
    ran = redline("orders-template", game.save, "--team", "europe", "--out", target)
    assert (ran.code, ran.err) == (
        1, f"error: {target} exists; choose another --out, or add --force to replace it\n"
    )
    assert fingerprint(target) == before
    ran = redline("orders-template", game.save, "--team", "europe", "--out", ".")
    assert (ran.code, ran.err) == (1, "error: --out . is a directory; give a file name\n")


@pytest.mark.parametrize(
    ("team", "message"),
    [
        ("russia", "error: team russia is played by the computer: it needs no sheet\n"),
        ("Pacific", "error: team pacific is played by the computer: it needs no sheet\n"),
        (
            "rusia",
            "error: no team 'rusia': did you mean 'russia'? the teams are us, europe, "
            "japan_rok, pacific, russia, china, north_korea\n",
        ),
        (
            "atlantis",
            "error: no team 'atlantis': the teams are us, europe, japan_rok, pacific, russia, "
            "china, north_korea\n",
        ),
    ],
)
def test_no_sheet_for_a_computer_team_or_an_unknown_team(
    tmp_path: Path, game: Game, team: str, message: str
) -> None:
    target = tmp_path / "sheet.yaml"
    ran = redline("orders-template", game.save, "--team", team, "--out", target)
    assert (ran.code, ran.out, ran.err) == (1, "", message)
    assert not target.exists()


def test_the_template_is_the_same_every_time_and_in_every_process(
    tmp_path: Path, game: Game, sheets: dict[str, str]
) -> None:
    again = template(game.save, "us", tmp_path / "again.yaml")
    assert again.read_text(encoding="utf-8") == sheets["us"]
    # another process, another hash seed: nothing depends on the order of a set
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")}
    env.update(NO_COLOR="1", PYTHONHASHSEED="12345")
    other = tmp_path / "other.yaml"
    subprocess.run(
        [sys.executable, "-m", "engine.cli", "orders-template", str(game.save), "--team", "us",
         "--out", str(other)],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    assert other.read_text(encoding="utf-8") == sheets["us"]


# ---------------------------------------------------------------------- what it says


def test_the_heading_names_the_team_the_turn_and_the_state(
    game: Game, sheets: dict[str, str]
) -> None:
    when = when_of(game.replay.rules, game.replay.saved.scenario, game.replay.position(1))
    assert when.state == game.replay.state_at(1).digest()[:12]
    for team_id, text in sheets.items():
        team = game.teams[team_id]
        data = yaml.safe_load(text)
        assert data == {
            "sheet": {"team": team_id, "turn": 1, "state": when.state},
            "orders": dict.fromkeys(team.actors),
        }
        assert list(data["orders"]) == list(team.actors)
        assert text.splitlines()[:2] == [
            f"# Redline order sheet: {team.name}, turn 1 of 24 (2025-01)",
            "# Game: Redline: two theaters, 2025-2026 (default)",
        ]
        assert f"\n  state: '{when.state}'\n" in text


def test_each_actor_has_its_budget_and_exactly_its_own_units(
    game: Game, sheets: dict[str, str]
) -> None:
    spec = game.replay.spec
    for team_id, text in sheets.items():
        parts = blocks(text)
        assert list(parts) == list(game.teams[team_id].actors)
        for actor, lines in parts.items():
            seen = game.seen[actor]
            me = spec.actor_by_id[actor]
            budget = seen.state.budgets[spec.actor_index[actor]]
            assert lines[0] == (
                f"    # {me.name}: budget {short_number(budget)} (income {short_number(me.income)})"
            )
            listed = {
                m["unit"]: (m["kind"], m["strength"], m["area"])
                for m in map(UNIT_LINE.match, lines)
                if m
            }
            own = {u.id: u for u in seen.state.units if u.owner == actor}
            assert set(listed) == set(own), actor
            for unit_id, (kind, strength, area) in listed.items():
                unit = own[unit_id]
                assert kind == spec.unit_type_by_id[unit.unit_type].name
                assert (strength, area) == (short_number(unit.strength), unit.area)


def test_no_unit_but_the_teams_own_is_named_and_no_hostile_unit_out_of_sight(
    game: Game, sheets: dict[str, str]
) -> None:
    spec = game.replay.spec
    truth = game.replay.state_at(1)
    every_unit = {u.id for u in truth.units}
    for team_id, text in sheets.items():
        team = game.teams[team_id]
        words = set(re.findall(r"[A-Za-z0-9_-]+", text))
        named = words & every_unit
        assert named == {u.id for u in truth.units if u.owner in team.actors}, team_id
    # the check means something: the US does not see every hostile unit
    us = observe(spec, truth, "us")
    sight = areas_in_sight(spec, truth, "us")
    hidden = [u for u in truth.units
              if spec.actor_by_id[u.owner].side != "blue" and u.area not in sight]
    assert hidden
    assert not {u.id for u in hidden} & {u.id for u in us.state.units}


def test_every_commented_order_would_be_accepted_and_attacks_aim_at_hostiles_in_sight(
    game: Game, sheets: dict[str, str]
) -> None:
    spec, rules = game.replay.spec, game.replay.rules
    for team_id, text in sheets.items():
        for actor, lines in blocks(text).items():
            seen = game.seen[actor]
            side = spec.actor_by_id[actor].side
            hostile_areas = {
                u.area for u in seen.state.units if spec.actor_by_id[u.owner].side != side
            }
            draft = OrderDraft(rules, seen)
            options = [m["order"] for m in map(OPTION_LINE.match, lines) if m]
            actions = [m for m in map(ACTION_LINE.match, lines) if m]
            assert options or actions, actor
            for text_of in options:
                order = parse_order(text_of, actor)
                assert draft.would_accept(order), (team_id, text_of)
                if text_of.startswith("attack "):
                    assert text_of.split()[1] in hostile_areas, text_of
            assert [m["order"] for m in actions] == [o.text() for o in draft.choices]
            for match in actions:
                order = parse_order(match["order"], actor)
                assert draft.would_accept(order), match["order"]
                assert match["cost"] == short_number(draft.cost(order))  # type: ignore[arg-type]


def test_uncommenting_lines_makes_a_sheet_that_is_accepted(
    tmp_path: Path, game: Game, sheets: dict[str, str]
) -> None:
    """The first option of each unit and the first action of each actor, uncommented."""
    text = sheets["europe"]
    chosen: dict[str, list[Order]] = {}
    for actor, lines in blocks(text).items():
        chosen[actor] = []
        unit = ""
        for line in lines:
            match = UNIT_LINE.match(line)
            if match:
                unit = match["unit"]
                continue
            option = OPTION_LINE.match(line)
            if option and unit:
                text = uncomment(text, actor, option["order"])
                chosen[actor].append(parse_order(option["order"], actor))
                unit = ""
        first = next((m for m in map(ACTION_LINE.match, lines) if m), None)
        if first is not None:
            text = uncomment(text, actor, first["order"])
            chosen[actor].append(parse_order(first["order"], actor))
    assert sum(len(orders) for orders in chosen.values()) >= 10
    sheet = tmp_path / "europe.yaml"
    sheet.write_text(text, encoding="utf-8")
    replay = game.replay
    when = when_of(replay.rules, replay.saved.scenario, replay.position(1))
    checked = check_sheet(sheet, replay.rules, game.teams, when, game.seen)
    assert checked.problems == []
    assert checked.sheet is not None
    assert checked.sheet.orders == chosen  # each actor's orders, in the order written
