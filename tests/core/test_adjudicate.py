"""Adjudication beyond the golden cases: properties over random games, and edge cases.

The central property is that events tell the whole story: replaying a turn's events on
the state it started from gives the state it ended with (the generator aside), so a log,
a view or a report built on events never disagrees with the state.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core import (
    Event,
    GameSpec,
    GameState,
    Order,
    OrderCode,
    OutcomeRecorder,
    Rules,
    Unit,
    parse_order,
    resolve_turn,
)
from engine.core.state import controller_of

from .support import candidate_orders, place, play

ESCALATION_TRACK = "escalation"
"""The track holding each theater's rung (``engine.core.board.ESCALATION_TRACK``)."""

NO_STATE_CHANGE = {
    "order_rejected", "action_taken", "action_voided", "move_bounced", "combat_resolved",
    "message", "trigger_fired", "named_event", "cascade_cut", "red_line",
}


def replay_events(spec: GameSpec, state: GameState, events: tuple[Event, ...]) -> dict[str, Any]:
    """The parts of the next state that ``events`` imply, applied to ``state``.

    Each event is checked against the state it applies to (a move starts where the unit is,
    a change starts from the value held), so a stale event fails here.
    """
    units = {u.id: u for u in state.units}
    tracks = list(state.tracks)
    control = list(state.control)
    budgets = list(state.budgets)
    flags = set(state.flags)
    finished, end_reason = state.finished, state.end_reason
    for event in events:
        data = event.to_dict()
        kind = data["kind"]
        if kind == "unit_moved":
            unit = units[data["unit"]]
            assert unit.area == data["path"][0], f"{event.describe()}: unit is in {unit.area}"
            units[unit.id] = unit._replace(area=data["path"][-1])
        elif kind == "unit_relocated":
            unit = units[data["unit"]]
            assert unit.area == data["origin"], event.describe()
            units[unit.id] = unit._replace(area=data["destination"])
        elif kind == "unit_damaged":
            unit = units[data["unit"]]
            assert unit.strength == data["before"], event.describe()
            units[unit.id] = unit._replace(strength=data["after"])
        elif kind in ("unit_destroyed", "unit_removed"):
            assert units.pop(data["unit"]).area == data["area"], event.describe()
        elif kind == "unit_added":
            assert data["unit"] not in units, event.describe()
            units[data["unit"]] = Unit(data["unit"], data["unit_type"], data["owner"],
                                       data["area"], data["strength"])
        elif kind == "control_changed":
            slot = spec.area_index[data["area"]]
            assert control[slot] == data["before"], event.describe()
            control[slot] = data["after"]
        elif kind == "track_changed":
            slot = spec.track_slots[(data["track"], data["scope"])]
            assert tracks[slot] == data["before"], event.describe()
            tracks[slot] = data["after"]
        elif kind == "budget_changed":
            slot = spec.actor_index[data["actor"]]
            assert budgets[slot] == data["before"], event.describe()
            budgets[slot] = data["after"]
        elif kind == "flag_changed":
            (flags.add if data["is_set"] else flags.discard)(data["flag"])
        elif kind == "escalation_changed":
            assert spec.ladder is not None
            slot = spec.track_slots[(ESCALATION_TRACK, data["theater"])]
            assert tracks[slot] == spec.ladder.rungs.index(data["before"]), event.describe()
            tracks[slot] = float(spec.ladder.rungs.index(data["after"]))
        elif kind == "game_ended":
            assert not finished, event.describe()
            finished, end_reason = True, data["reason"]
        else:
            assert kind in NO_STATE_CHANGE, f"teach replay_events about '{kind}' events"
    return {
        "units": tuple(sorted(units.values())),
        "tracks": tuple(tracks),
        "control": tuple(control),
        "budgets": tuple(budgets),
        "flags": tuple(sorted(flags)),
        "finished": finished,
        "end_reason": end_reason,
    }


def implied_by(state: GameState) -> dict[str, Any]:
    return {
        "units": state.units,
        "tracks": state.tracks,
        "control": state.control,
        "budgets": state.budgets,
        "flags": state.flags,
        "finished": state.finished,
        "end_reason": state.end_reason,
    }


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_events_tell_the_whole_story(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState,
    data: st.DataObject,
) -> None:
    state = tutorial_state
    for _ in range(data.draw(st.integers(1, 7), label="turns")):
        options = candidate_orders(tutorial_rules, state)
        orders: list[Order] = (
            data.draw(st.lists(st.sampled_from(options), max_size=12), label="orders")
            if options
            else []
        )
        result = resolve_turn(tutorial_rules, state, orders)
        assert replay_events(tutorial_spec, state, result.events) == implied_by(result.state)
        assert all(event.turn == state.turn for event in result.events)
        assert all(event.cause for event in result.events)
        after = result.state
        assert after.units == tuple(sorted(after.units))
        assert all(u.strength >= tutorial_spec.combat.destroyed_below for u in after.units)
        for (track_id, _), value in zip(tutorial_spec.track_keys, after.tracks, strict=True):
            track = tutorial_spec.track_by_id[track_id]
            assert track.minimum <= value <= track.maximum
        assert after.turn == (state.turn if state.finished else state.turn + 1)
        state = after


def test_a_whole_game_ends_on_the_calendar(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    states = play(tutorial_rules, tutorial_state, [[]] * tutorial_spec.turns)
    assert [s.turn for s in states] == list(range(1, tutorial_spec.turns + 2))
    assert [s.finished for s in states] == [False] * tutorial_spec.turns + [True]


def test_a_finished_game_stays_as_it_is(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """Resolving a turn of a game that is over changes nothing: orders are rejected, no
    phase runs, and the turn counter does not run on past the end."""
    last = resolve_turn(tutorial_rules, place(tutorial_spec, tutorial_state, turn=6), [])
    over = last.state
    assert (over.turn, over.finished) == (7, True)
    again = resolve_turn(tutorial_rules, over, [parse_order("us: act exercise")])
    assert again.state == over
    assert [e.kind for e in again.events] == ["order_rejected"]
    assert resolve_turn(tutorial_rules, over, []).events == ()


def test_the_turn_before_the_last_does_not_end_the_game(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    result = resolve_turn(tutorial_rules, place(tutorial_spec, tutorial_state, turn=5), [])
    assert (result.state.turn, result.state.finished) == (6, False)
    assert not [e for e in result.events if e.kind == "game_ended"]


def test_a_unit_moved_by_an_effect_does_not_also_move(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """Forward deployment puts us-1abct in Poland during the military phase; its own move
    order from the United States must not then carry it from there to Germany."""
    result = resolve_turn(tutorial_rules, tutorial_state, [
        parse_order("us: act forward_deploy poland"),
        parse_order("us: move us-1abct germany"),
        parse_order("us: move us-3abct germany"),
    ])
    assert all(r.ok for r in result.results)
    state = result.state
    assert state.unit("us-1abct") == Unit("us-1abct", "armored_brigade", "us", "poland", 4.0)
    assert state.unit("us-3abct") == Unit("us-3abct", "armored_brigade", "us", "germany", 4.0)
    bounced = [e.to_dict() for e in result.events if e.kind == "move_bounced"]
    assert [(b["unit"], b["destination"]) for b in bounced] == [("us-1abct", "germany")]
    assert replay_events(tutorial_spec, tutorial_state, result.events) == implied_by(state)


def test_units_destroyed_before_moving_stay_gone(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """With combat before movement, a unit destroyed in combat loses its move order."""
    by_id = {p.id: p for p in tutorial_spec.phases}
    spec = dataclasses.replace(tutorial_spec, phases=tuple(
        by_id[p] for p in ("diplomacy", "deployment", "combat", "movement", "upkeep")
    ))
    rules = Rules(spec)
    start = place(spec, tutorial_state, units={"pl-15mech": {"strength": 0.6}})
    result = resolve_turn(rules, start, [
        parse_order("russia: attack baltics with ru-6gta ru-76vdv"),
        parse_order("poland: move pl-15mech poland"),
    ])
    assert all(r.ok for r in result.results)
    assert result.state.unit("pl-15mech") is None
    assert [e.kind for e in result.events if e.kind in ("unit_destroyed", "unit_moved")] == [
        "unit_destroyed", "unit_moved", "unit_moved",  # then the Russians advance
    ]
    assert controller_of(spec, result.state, "baltics") == "russia"


def test_an_ally_does_not_take_a_friendly_area(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """Control passes from a hostile or absent holder only: a US brigade in Poland leaves
    it Polish."""
    result = resolve_turn(tutorial_rules, tutorial_state, [parse_order("us: move us-2cr poland")])
    assert result.state.unit("us-2cr") == Unit("us-2cr", "infantry_brigade", "us", "poland", 3.0)
    assert controller_of(tutorial_spec, result.state, "poland") == "poland"
    assert not [e for e in result.events if e.kind == "control_changed"]


def test_attack_on_an_area_its_defenders_left(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """The Polish brigade leaves the Baltic states as Russia attacks: no defender, no roll;
    the attackers advance and take the area."""
    result = resolve_turn(tutorial_rules, tutorial_state, [
        parse_order("russia: attack baltics with ru-6gta"),
        parse_order("poland: move pl-15mech poland"),
    ])
    assert not [e for e in result.events if e.kind == "combat_resolved"]
    assert result.state.rng == tutorial_state.rng
    assert result.state.unit("ru-6gta") == Unit(
        "ru-6gta", "armored_brigade", "russia", "baltics", 4.0
    )
    assert controller_of(tutorial_spec, result.state, "baltics") == "russia"


def test_rejected_results_keep_their_codes(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    result = resolve_turn(tutorial_rules, tutorial_state, [
        parse_order("us: move us-2cr baltics"), parse_order("us: move us-2cr poland"),
    ])
    assert [r.code for r in result.results] == [OrderCode.TOO_FAR, OrderCode.OK]


def test_outcomes_fold_observations(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    recorder = OutcomeRecorder(tutorial_spec, tutorial_state)
    turns = [[parse_order("russia: act snap_drill")], [], [parse_order("us: act statement poland")]]
    for state in play(tutorial_rules, tutorial_state, turns)[1:]:
        recorder.observe(state)
    assert recorder.series("peak_tension") == (25.0, 31.7, 30.53, 29.477)
    results = recorder.results()
    assert results["peak_tension"] == 31.7
    assert results["poland_assurance_low"] == min(recorder.series("poland_assurance_low"))
    assert results["us_credibility"] == 55.0
    assert results["territory_changed"] == 0.0
    assert results["blue_strength"] == 23.0
    assert results["red_strength"] == 15.0
