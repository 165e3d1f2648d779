"""Drawing a red line during play: an action whose target is one of the actor's red lines.

Quotes docs/authoring.md, section on actions: "``red_line`` (one of the acting actor's own
red lines: ``{declare_red_line: $target}`` lets a player draw a line the scenario holds in
reserve with ``armed: false``)".  The default scenario holds two such lines for the US.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine.content import load_game
from engine.core import GameState, OrderCode, Rules, TakeAction, initial_state, resolve_turn
from engine.core.legality import check_orders, legal_action_orders

DEFAULT = Path(__file__).resolve().parents[2] / "scenarios" / "default.yaml"
RESERVED = ["taiwan_explicit", "philippines_article4"]


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules(load_game(DEFAULT).spec)


@pytest.fixture(scope="module")
def start(rules: Rules) -> GameState:
    return initial_state(rules.spec, 1)


def status(rules: Rules, state: GameState, line: str) -> str:
    return state.red_lines[rules.spec.red_line_index[line]].status


def test_the_lines_held_in_reserve_are_offered_to_their_declarer_only(
    rules: Rules, start: GameState
) -> None:
    offered = [
        o.target for o in legal_action_orders(rules, start, "us") if o.action == "draw_red_line"
    ]
    assert offered == RESERVED
    assert all(status(rules, start, line) == "inactive" for line in RESERVED)


def test_drawing_a_line_arms_it_and_it_cannot_be_drawn_twice(
    rules: Rules, start: GameState
) -> None:
    result = resolve_turn(rules, start, [TakeAction("us", "draw_red_line", "taiwan_explicit")])
    assert status(rules, result.state, "taiwan_explicit") == "armed"
    assert "red line 'taiwan_explicit' of us armed" in [e.describe() for e in result.events]
    (again,) = check_orders(
        rules, result.state, [TakeAction("us", "draw_red_line", "taiwan_explicit")]
    )
    assert again.code is OrderCode.PRECONDITION
    assert again.reason == "'draw_red_line' requires red line taiwan_explicit is inactive"
    offered = [
        o.target
        for o in legal_action_orders(rules, result.state, "us")
        if o.action == "draw_red_line"
    ]
    assert offered == ["philippines_article4"]


def test_another_actors_line_or_an_unknown_one_is_refused(rules: Rules, start: GameState) -> None:
    lines = tuple(
        dataclasses.replace(line, declared_by="japan")
        if line.id == "philippines_article4"
        else line
        for line in rules.spec.red_lines
    )
    japans = dataclasses.replace(rules.spec, red_lines=lines)
    order = TakeAction("us", "draw_red_line", "philippines_article4")
    (theirs,) = check_orders(Rules(japans), initial_state(japans, 1), [order])
    assert theirs.code is OrderCode.BAD_TARGET
    assert theirs.reason == "'philippines_article4' is japan's red line: only japan can draw it"
    (unknown,) = check_orders(rules, start, [TakeAction("us", "draw_red_line", "moon_line")])
    assert unknown.code is OrderCode.BAD_TARGET
    assert unknown.reason == "'moon_line' is not a red line"
