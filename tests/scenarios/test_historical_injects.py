"""Golden scenario-level tests: historical injects of the default scenario and their effects.

Each game here is played with no orders at all, so everything that happens comes from the
scenario's scripted injects and the ruleset's trigger library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from engine.content import load_game
from engine.core import (
    Event,
    GameState,
    Rules,
    check_orders,
    initial_state,
    parse_order,
    resolve_turn,
)
from engine.core.events import NamedEventRaised, RedLineChanged, TrackChanged, TriggerFired
from engine.core.orders import Order, OrderCode
from engine.core.state import track_value

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules(load_game(ROOT / "scenarios" / "default.yaml").spec)


def play_quietly(rules: Rules, turns: int) -> GameState:
    """The state at the start of turn ``turns + 1`` after ``turns`` turns without orders."""
    state = initial_state(rules.spec)
    for _ in range(turns):
        state = resolve_turn(rules, state, []).state
    return state


def turn_events(rules: Rules, state: GameState, orders: Sequence[Order] = ()) -> list[Event]:
    return list(resolve_turn(rules, state, list(orders)).events)


def changes_by(events: list[Event], cause: str, track: str, scope: str) -> list[float]:
    return [round(e.after - e.before, 6) for e in events
            if isinstance(e, TrackChanged) and e.cause == cause
            and (e.track, e.scope) == (track, scope)]


def test_overflight_of_hokkaido_is_not_an_eez_impact(rules: Rules) -> None:
    """29 Aug 2017, as inject 'inject_overflight_hokkaido' (2025-08, turn 8): a Hwasong-12
    overflies Japan and lands outside the EEZ. The ruleset's 'dprk_overflight_alarm' costs
    Japan 2 assurance and raises tension in Asia by 3; the EEZ red line is not crossed."""
    state = play_quietly(rules, 7)
    assert rules.spec.calendar.label(state.turn) == "2025-08"
    events = turn_events(rules, state)
    assert any(isinstance(e, NamedEventRaised) and e.name == "dprk_overflight" for e in events)
    assert {"inject_overflight_hokkaido", "dprk_overflight_alarm"} <= {
        e.trigger for e in events if isinstance(e, TriggerFired)}
    assert changes_by(events, "trigger:dprk_overflight_alarm", "assurance", "japan") == [-2]
    assert changes_by(events, "trigger:dprk_overflight_alarm", "tension", "asia") == [3]
    assert not [e for e in events if isinstance(e, RedLineChanged)]


def test_icbm_into_japans_eez_crosses_the_red_line_and_failure_costs_both_theaters(
    rules: Rules,
) -> None:
    """28 Jul / 29 Nov 2017, as inject 'inject_icbm_in_eez' (2025-11, turn 11): the ICBM
    falls inside Japan's EEZ, crossing 'dprk_eez_strike' ("the US strikes the launch sites
    within one turn"). Without a strike by the end of turn 12 the red line fails: US
    credibility falls by 15 in Asia and 15 x 0.6 = 9 in Europe, and Japan's assurance by 12
    times its threat perception of North Korea."""
    state = play_quietly(rules, 10)
    crossing = turn_events(rules, state)
    steps = [(e.red_line, e.status, e.actor) for e in crossing if isinstance(e, RedLineChanged)]
    assert steps == [("dprk_eez_strike", "crossed", "north_korea")]
    assert changes_by(crossing, "trigger:dprk_icbm_in_eez_shock", "assurance", "japan") == [-8]
    state = resolve_turn(rules, state, []).state
    failing = turn_events(rules, state)
    assert [(e.red_line, e.status) for e in failing if isinstance(e, RedLineChanged)] == [
        ("dprk_eez_strike", "failed")]
    cause = "red_line:dprk_eez_strike:failed"
    assert changes_by(failing, cause, "credibility", "asia") == [-15]
    assert changes_by(failing, cause, "credibility", "europe") == [-9]
    japan_fears = rules.spec.actor_by_id["japan"].threat_perception["north_korea"]
    assert changes_by(failing, cause, "assurance", "japan") == [round(-12 * japan_fears, 6)]


def test_a_strike_after_the_eez_impact_enforces_the_red_line(rules: Rules) -> None:
    """The same inject answered by 'precision_strike' on a North Korean missile brigade in
    the turn after the crossing: the red line is enforced and credibility rises instead."""
    state = play_quietly(rules, 11)
    target = next(u.area for u in state.units
                  if u.owner == "north_korea" and u.unit_type == "missile_brigade")
    strike = parse_order(f"us: act precision_strike {target}")
    events = turn_events(rules, state, [strike])
    assert [(e.red_line, e.status, e.actor) for e in events if isinstance(e, RedLineChanged)] \
        == [("dprk_eez_strike", "enforced", "us")]
    assert changes_by(events, "red_line:dprk_eez_strike:enforced", "credibility", "asia") == [8]


def test_security_council_veto_blocks_resolutions(rules: Rules) -> None:
    """26 May 2022, as inject 'inject_unsc_veto' (2025-05, turn 5): China and Russia veto
    and the council is blocked; from then on a Security Council resolution is refused."""
    state = play_quietly(rules, 4)
    resolution = parse_order("us: act unsc_resolution north_korea")
    assert check_orders(rules, state, [resolution])[0].ok
    state = resolve_turn(rules, state, []).state
    assert "council_blocked" in state.flags
    verdict = check_orders(rules, state, [resolution])[0]
    assert verdict.code is OrderCode.PRECONDITION
    assert "flag council_blocked not set" in verdict.reason


def test_annexation_claims_occupied_ground_without_a_new_war(rules: Rules) -> None:
    """Crimea 2014, as inject 'inject_annexation' (2025-10, turn 10): Russia declares the
    occupied east annexed. The ground was already Russian-held, so no area changes hands
    and deterrence in Europe is not recorded as failed."""
    state = play_quietly(rules, 9)
    before = track_value(rules.spec, state, "escalation", "europe")
    events = turn_events(rules, state)
    assert "inject_annexation" in {e.trigger for e in events if isinstance(e, TriggerFired)}
    assert not [e for e in events if e.kind == "control_changed"]
    after = resolve_turn(rules, state, []).state
    assert "deterrence_failed_europe" not in after.flags
    assert track_value(rules.spec, after, "escalation", "europe") >= before
