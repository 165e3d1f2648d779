"""``redline turn``: every team's sheet in, exactly one turn played and saved, and each team
of people handed a report of what it did and saw, and of nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.core import Order, parse_order
from engine.core.observation import observe
from engine.saves import Replay, read_save
from tests.saves.support import PRIVATE_RED_LINE

from .support import (
    DEFAULT_PEOPLE,
    TUTORIAL,
    Ran,
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

ORDERS: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {"us": ("move us-2cr poland", "act sanctions russia")},
    "europe": {
        "uk": ("move uk-raf nordic", "act defense_aid_ukraine"),
        "poland": ("act joint_statement nato",),
    },
    "japan_rok": {"japan": ("move jp-escort-1 philippine_sea",)},
}
"""What each team of people orders in turn 1, by actor: no text is given by two actors."""


@dataclass(frozen=True)
class Start:
    """An exercise of the default scenario before turn 1, and its teams' filled sheets."""

    save: Path
    sheets: dict[str, Path]


@dataclass(frozen=True)
class Played:
    """The exercise after ``redline turn`` played turn 1 from the sheets."""

    save: Path
    ran: Ran
    reports: Path
    before: Replay


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Start:
    folder = tmp_path_factory.mktemp("turn")
    save = facilitate(folder)
    sheets = templates(save)
    for team, given in ORDERS.items():
        text = sheets[team].read_text(encoding="utf-8")
        for actor, orders in given.items():
            text = give(text, actor, *orders)
        sheets[team].write_text(text, encoding="utf-8")
    return Start(save, sheets)


@pytest.fixture(scope="module")
def played(start: Start, tmp_path_factory: pytest.TempPathFactory) -> Played:
    folder = tmp_path_factory.mktemp("played")
    save = copy_save(start.save, folder)
    before = Replay.open(save)
    ran = play(save, start.sheets)
    return Played(save, ran, folder / "game-reports", before)


def report(played: Played, team: str) -> str:
    return (played.reports / f"turn-001-{team}.md").read_text(encoding="utf-8")


def sheet_orders(team: str) -> dict[str, tuple[Order, ...]]:
    return {actor: tuple(parse_order(o, actor) for o in orders)
            for actor, orders in ORDERS[team].items()}


# ---------------------------------------------------------------------- the turn


def test_turn_plays_exactly_one_turn_and_says_what_it_wrote(played: Played) -> None:
    lines = played.ran.out.splitlines()
    assert lines[0].startswith("turn 1 2025-01: ")
    assert lines[1:] == [
        f"wrote {played.save}",
        *(f"wrote {played.reports / f'turn-001-{team}.md'}" for team in DEFAULT_PEOPLE),
    ]
    assert played.ran.err == ""
    saved = read_save(played.save)
    assert [t.turn for t in saved.turns] == [1]
    assert saved.teams == played.before.saved.teams
    assert saved.players == played.before.saved.players
    assert sorted(p.name for p in played.reports.iterdir()) == sorted(
        f"turn-001-{team}.md" for team in DEFAULT_PEOPLE
    )


def test_the_save_verifies_with_replay_verify(played: Played) -> None:
    ran = ok("replay", played.save, "--verify")
    digest = read_save(played.save).turns[-1].digest
    assert ran.out.startswith(f"{played.save}: replays exactly, 1 turn")
    assert ran.out.endswith(f", every digest matches; final digest {digest}\n")
    Replay.open(played.save).verify()


def test_each_people_actor_gave_exactly_its_sheets_orders(played: Played) -> None:
    saved = read_save(played.save)
    turn = saved.turns[0]
    humans = {a for t in saved.teams.values() if t.player == "human" for a in t.actors}
    for actor in humans:
        given = next((sheet_orders(t)[actor] for t in ORDERS if actor in ORDERS[t]), ())
        assert tuple(o for o in turn.orders if o.actor == actor) == given, actor
    assert not any(who in humans for who, _ in turn.reasons)  # people give no reasons
    computer = {o.actor for o in turn.orders} - humans
    assert computer  # the computer players gave orders in the same turn
    assert saved.players["russia"] == "doctrine"


def test_each_report_lists_its_teams_orders_and_their_fate(played: Played) -> None:
    assert report(played, "us").startswith(
        "# Turn 1 (2025-01): United States\n\n## Your orders\n\n"
        "- us: `move us-2cr poland`: carried out\n"
        "- us: `act sanctions russia`: carried out\n\n## What you saw happen\n\n"
    )
    europe = report(played, "europe")
    assert europe.startswith(
        "# Turn 1 (2025-01): Europe (NATO allies and Ukraine)\n\n## Your orders\n\n"
        "- uk: `move uk-raf nordic`: carried out\n"
        "- uk: `act defense_aid_ukraine`: carried out\n"
        "- france: no orders\n"
        "- germany: no orders\n"
        "- poland: `act joint_statement nato`: carried out\n"
        "- nordic_baltic: no orders\n"
        "- ukraine: no orders\n\n"
    )
    assert "## Where things stand\n" in europe
    for actor in ("uk", "france", "germany", "poland", "nordic_baltic", "ukraine"):
        assert f"\n- {actor}: budget " in europe


def test_a_report_holds_no_other_teams_orders_nor_any_reasons(played: Played) -> None:
    saved = read_save(played.save)
    turn = saved.turns[0]
    teams = saved.teams
    for team_id in DEFAULT_PEOPLE:
        text = report(played, team_id)
        mine = set(teams[team_id].actors)
        own_texts = {o.text() for o in turn.orders if o.actor in mine}
        for order in turn.orders:
            if order.actor not in mine and order.text() not in own_texts:
                assert order.text() not in text, (team_id, order)
        for _who, why in turn.reasons:
            assert why not in text, (team_id, why)
        assert "why:" not in text


def test_russias_orders_show_in_the_us_report_only_as_events_the_us_saw(
    played: Played,
) -> None:
    replay = Replay.open(played.save)
    spec = replay.spec
    turn = replay.saved.turns[0]
    before, after = replay.state_at(1), replay.state_at(2)
    seen = {e.describe() for e in observe(spec, after, "us", turn.events, before).events}
    text = report(played, "us")
    happened = text.split("## What you saw happen\n\n")[1].split("\n## Where things stand")[0]
    shown = [line[2:] for line in happened.splitlines() if line.startswith("- ")]
    assert shown and set(shown) <= seen
    russian = [o for o in turn.orders if o.actor == "russia"]
    assert russian
    for order in russian:
        assert order.text() not in text
    assert [line for line in shown if line.startswith("russia ")]  # Russia's acts, as seen
    everything = {e.describe() for e in turn.events}
    assert everything - seen, "some of the turn is out of the US's sight"
    assert not (everything - seen) & set(shown)


def test_out_saves_elsewhere_and_leaves_the_save_alone(start: Start, tmp_path: Path) -> None:
    save = copy_save(start.save, tmp_path)
    before = fingerprint(save)
    other = tmp_path / "next.json"
    ran = play(save, start.sheets, "--out", other)
    assert fingerprint(save) == before
    assert [t.turn for t in read_save(other).turns] == [1]
    assert f"wrote {other}" in ran.out.splitlines()
    assert sorted(p.name for p in (tmp_path / "next-reports").iterdir()) == sorted(
        f"turn-001-{team}.md" for team in DEFAULT_PEOPLE
    )
    assert not (tmp_path / "game-reports").exists()
    Replay.open(other).verify()


def test_reports_go_to_the_folder_named(start: Start, tmp_path: Path) -> None:
    save = copy_save(start.save, tmp_path)
    folder = tmp_path / "handouts"
    ran = play(save, start.sheets, "--reports", folder)
    assert ran.out.splitlines()[-3:] == [
        f"wrote {folder / f'turn-001-{team}.md'}" for team in DEFAULT_PEOPLE
    ]
    assert not (tmp_path / "game-reports").exists()


def test_the_second_turn_needs_new_sheets(played: Played, start: Start, tmp_path: Path) -> None:
    save = copy_save(played.save, tmp_path)
    ran = redline("turn", save, *[p for s in start.sheets.values() for p in ("--orders", s)])
    assert ran.code == 1
    assert ran.err.splitlines()[-1] == (
        "error: turn 2 was not played: 3 problems in the sheets; correct them and run "
        "'redline turn' again"
    )
    ran = play(save, templates(save))
    assert ran.out.startswith("turn 2 2025-02: ")
    assert [t.turn for t in read_save(save).turns] == [1, 2]
    assert (tmp_path / "game-reports" / "turn-002-us.md").read_text(encoding="utf-8").startswith(
        "# Turn 2 (2025-02): United States\n\n## Your orders\n\n- us: no orders\n"
    )


# ---------------------------------------------------------------------- the map view


def test_without_a_display_the_view_is_refused_and_nothing_is_played(
    start: Start, tmp_path: Path
) -> None:
    save = copy_save(start.save, tmp_path)
    before = fingerprint(save)
    ran = redline("turn", save, "--view", "--orders", start.sheets["us"])
    assert (ran.code, ran.out, ran.err) == (
        1, "", "error: --view needs a display; hand in sheets instead\n"
    )
    ran = redline("turn", save, "--orders", start.sheets["us"], "--view", "--clock", "0")
    assert (ran.code, ran.err) == (1, "error: --clock is a number of minutes above 0\n")
    sheet = tmp_path / "us.yaml"
    ran = redline("orders-template", save, "--team", "us", "--view", "--out", sheet)
    assert (ran.code, ran.err) == (
        1, "error: --view needs a display; fill the sheet by hand instead\n"
    )
    assert fingerprint(save) == before
    assert not sheet.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]


# ---------------------------------------------------------------------- private red lines


PRIVATE = """\
teams:
  blue: {name: Blue team, actors: [us, poland]}
  red: {name: Red team, actors: [russia]}
""" + PRIVATE_RED_LINE
"""Russia holds Kaliningrad from the start: the US's private line is crossed in turn 1 and,
unanswered, fails in turn 2; Russia's team must never read of it."""


def test_a_report_never_names_another_sides_private_red_line(tmp_path: Path) -> None:
    scenario = variant(tmp_path, "tutorial_private_teams", TUTORIAL, PRIVATE)
    save = facilitate(tmp_path, scenario=scenario)
    for _ in range(2):
        sheets = templates(save, ("blue", "red"))
        red_sheet = sheets["red"].read_text(encoding="utf-8")
        assert "kaliningrad_line" not in red_sheet
        assert "private warning" not in red_sheet.lower()
        play(save, sheets)
    folder = tmp_path / "game-reports"
    for number in (1, 2):
        red = (folder / f"turn-00{number}-red.md").read_text(encoding="utf-8")
        assert "kaliningrad_line" not in red
        assert "private warning" not in red.lower()
    blue = (folder / "turn-002-blue.md").read_text(encoding="utf-8")
    assert "- red line 'kaliningrad_line' of us failed\n" in blue
    assert "- red line A private warning about Kaliningrad: failed\n" in blue
    Replay.open(save).verify()


# ---------------------------------------------------------------------- bugs


def test_a_reports_folder_that_cannot_be_made_is_refused_before_the_turn(
    start: Start, tmp_path: Path
) -> None:
    save = copy_save(start.save, tmp_path)
    before = fingerprint(save)
    folder = tmp_path / "nowhere" / "reports"
    ran = redline("turn", save, *[p for s in start.sheets.values() for p in ("--orders", s)],
                  "--reports", folder)
    if ran.code == 0:
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"turn-001-{team}.md" for team in DEFAULT_PEOPLE
        )
    else:
        assert fingerprint(save) == before, "the turn was played though the command failed"
