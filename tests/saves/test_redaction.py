"""A side's history of a saved game holds what that side saw during play, and nothing more.

``side_turn(replay, actor, n)`` must be exactly what ``observe`` gave the actor after turn
``n`` while the game was played: the states compared here are the ones the game loop
produced, not the replay's.  Its own orders and reasons only; hostile units only in sight;
another actor's private red line never, neither as a status nor in any event.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.events import Event, RedLineChanged
from engine.core.observation import areas_in_sight, observe
from engine.saves import Replay, write_save
from engine.saves.redact import side_history, side_turn

from .support import DEFAULT, PRIVATE_RED_LINE, TUTORIAL, Played, play, recorded, variant

TURNS = 4


@pytest.fixture(scope="module")
def default_game() -> Played:
    return recorded(DEFAULT, TURNS)


@pytest.fixture(scope="module")
def default_replay(default_game: Played, tmp_path_factory: pytest.TempPathFactory) -> Replay:
    path = tmp_path_factory.mktemp("redaction") / "game.json"
    write_save(path, default_game.saved)
    return Replay.open(path)


@pytest.mark.parametrize("actor", ["us", "russia", "japan"])
def test_a_side_turn_is_what_the_actor_observed_during_play(
    default_game: Played, default_replay: Replay, actor: str
) -> None:
    spec = default_replay.spec
    for turn in range(1, TURNS + 1):
        played = default_game.record.turns[turn - 1]
        before, after = default_game.states[turn], default_game.states[turn + 1]
        seen = observe(spec, after, actor, played.events, before)
        side = side_turn(default_replay, actor, turn)
        assert (side.actor, side.turn, side.date) == (actor, turn, played.date)
        assert side.events == seen.events
        assert side.state == seen.state
        assert side.orders == tuple(o for o in played.orders if o.actor == actor)
        assert side.reasons == tuple(r for who, r in played.reasons if who == actor)


def test_the_us_history_holds_only_us_orders_and_reasons(
    default_game: Played, default_replay: Replay
) -> None:
    history = side_history(default_replay, "us")
    assert [side.turn for side in history] == list(range(1, TURNS + 1))
    for side, played in zip(history, default_game.record.turns, strict=True):
        assert side.orders and all(order.actor == "us" for order in side.orders)
        assert {o.actor for o in played.orders} - {"us"}, "others gave orders too"
        assert side.reasons and {who for who, _ in played.reasons} - {"us"}
        assert set(side.reasons) <= {r for who, r in played.reasons if who == "us"}


def test_the_us_history_shows_no_hostile_unit_out_of_sight(
    default_game: Played, default_replay: Replay
) -> None:
    spec = default_replay.spec
    hidden_somewhere = False
    for turn in range(1, TURNS + 1):
        after = default_game.states[turn + 1]
        side = side_turn(default_replay, "us", turn)
        sight = areas_in_sight(spec, after, "us")
        shown = {u.id for u in side.state.units}
        for unit in after.units:
            hostile = spec.actor_by_id[unit.owner].side != spec.actor_by_id["us"].side
            if not hostile:
                assert unit.id in shown
            elif unit.id in shown:
                assert unit.area in sight, (turn, unit)
            else:
                hidden_somewhere = True
        assert shown <= {u.id for u in observe(spec, after, "us").state.units}
        budgets = dict(zip((a.id for a in spec.actors), side.state.budgets, strict=True))
        assert all(value == 0.0 for actor, value in budgets.items() if actor != "us")
    assert hidden_somewhere, "the default scenario hides some hostile units from the US"


def test_a_side_history_for_an_actor_the_game_lacks_is_refused(default_replay: Replay) -> None:
    with pytest.raises(ValueError) as caught:
        side_turn(default_replay, "atlantis", 1)
    assert str(caught.value) == "default has no actor 'atlantis'"


def mentions(event: Event, name: str) -> bool:
    return name in repr(event)


def test_a_private_red_line_is_hidden_from_the_other_side(tmp_path: Path) -> None:
    scenario = variant(tmp_path, "tutorial_private", TUTORIAL, PRIVATE_RED_LINE)
    game = play(scenario, turns=3)
    steps = [e for t in game.saved.turns for e in t.events if isinstance(e, RedLineChanged)
             and e.red_line == "kaliningrad_line"]
    assert [(e.turn, e.status, e.private) for e in steps] == [(1, "crossed", True),
                                                             (2, "failed", True)]
    path = tmp_path / "game.json"
    write_save(path, game.saved)
    replay = Replay.open(path)
    replay.verify()
    index = [line.id for line in replay.spec.red_lines].index("kaliningrad_line")
    for side in side_history(replay, "russia"):
        assert not [e for e in side.events if mentions(e, "kaliningrad_line")], side.turn
        assert side.state.red_lines[index].status == "inactive"
    declarer = side_history(replay, "us")
    assert [e.status for side in declarer for e in side.events
            if isinstance(e, RedLineChanged) and e.red_line == "kaliningrad_line"] == [
        "crossed", "failed"
    ]
    assert declarer[0].state.red_lines[index].status == "crossed"


PRIVATE_DEFAULT = """\
red_lines:
  washington_private_line:
    name: "A private US line: no massing in Belarus"
    declared_by: us
    against: russia
    theater: europe
    crossed_when: {units: {side: red, area: belarus}, measure: strength, ge: 1}
    response: [forward_deploy]
    window: 1
    visibility: private
"""
"""As in tests/ai/test_fog.py, but crossed at once: Russian forces stand in Belarus from the
start; the US doctrine does not answer it, so it fails at the end of turn 2."""


@pytest.fixture(scope="module")
def private_default(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    folder = tmp_path_factory.mktemp("private")
    game = play(variant(folder, "default_private", DEFAULT, PRIVATE_DEFAULT), turns=3)
    write_save(folder / "game.json", game.saved)
    return Replay.open(folder / "game.json")


def test_the_private_line_of_the_default_variant_is_crossed_and_fails(
    private_default: Replay,
) -> None:
    steps = [(e.turn, e.status) for n in (1, 2, 3) for e in private_default.events_of(n)
             if isinstance(e, RedLineChanged) and e.red_line == "washington_private_line"]
    assert steps == [(1, "crossed"), (2, "failed")]
    for actor in ("russia", "china"):
        for side in side_history(private_default, actor):
            assert not [e for e in side.events if isinstance(e, RedLineChanged)
                        and e.red_line == "washington_private_line"]


@pytest.mark.parametrize("actor", ["russia", "china"])
def test_no_event_of_the_other_side_names_the_private_line(
    private_default: Replay, actor: str
) -> None:
    named = [(side.turn, e) for side in side_history(private_default, actor)
             for e in side.events if mentions(e, "washington_private_line")]
    assert named == []
