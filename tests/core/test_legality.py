"""Legality: every kind of illegal order is rejected with its code and a readable reason.

House rule 3: a rejected order during play is data.  So besides the verdict of
``check_orders``, each case plays the turn with and without the illegal order and checks
that the only difference is one ``order_rejected`` event: same digest, same other events.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pytest

from engine.core import (
    GameSpec,
    GameState,
    Move,
    Order,
    OrderCode,
    Rules,
    TakeAction,
    check_orders,
    legal_action_orders,
    parse_order,
    reachable,
    resolve_turn,
)
from engine.core.board import Board
from engine.core.events import OrderRejected
from engine.core.language import AdjustTrack

from .support import place

BACKGROUND = (
    "russia: act snap_drill",
    "us: act statement poland",
    "us: move us-2cr poland",
    "poland: move pl-12mech baltics",
)
"""Legal orders given alongside each illegal one, so that 'no effect' is tested on a turn
where other things happen."""


@dataclass(frozen=True)
class Case:
    id: str
    order: str
    code: OrderCode
    reason: str
    before: tuple[str, ...] = ()
    """Orders given (after the background) before the illegal one."""
    setup: dict[str, Any] = field(default_factory=dict)
    """Keyword arguments of :func:`support.place` for the starting state."""
    background: tuple[str, ...] = BACKGROUND


CASES = [
    Case("unknown_actor", "nato: act exercise", OrderCode.UNKNOWN_ACTOR,
         "there is no actor 'nato'"),
    Case("unknown_unit", "us: move us-82abn poland", OrderCode.UNKNOWN_UNIT,
         "there is no unit 'us-82abn'"),
    Case("unknown_unit_in_attack", "us: attack baltic_sea with us-31fw us-82abn",
         OrderCode.UNKNOWN_UNIT, "there is no unit 'us-82abn'"),
    Case("not_yours", "us: move pl-15mech poland", OrderCode.NOT_YOURS,
         "pl-15mech belongs to poland"),
    Case("not_yours_in_attack", "poland: attack baltic_sea with us-31fw", OrderCode.NOT_YOURS,
         "us-31fw belongs to us"),
    Case("unit_ordered_twice", "poland: attack belarus with pl-12mech",
         OrderCode.ALREADY_ORDERED, "pl-12mech already has an order"),
    Case("unit_listed_twice", "poland: attack belarus with pl-15mech pl-15mech",
         OrderCode.ALREADY_ORDERED, "pl-15mech is listed twice"),
    Case("cannot_move", "russia: move ru-152msl poland", OrderCode.CANNOT_MOVE,
         "ru-152msl (Missile brigade) cannot move"),
    Case("already_there", "us: move us-31fw germany", OrderCode.NO_ROUTE,
         "us-31fw is already in germany"),
    Case("not_adjacent", "us: move us-3abct baltics via poland", OrderCode.NO_ROUTE,
         "conus and poland are not adjacent"),
    Case("impassable_edge", "poland: move pl-15mech poland via baltic_sea", OrderCode.NO_ROUTE,
         "land units cannot cross the coast link baltics-baltic_sea"),
    Case("wrong_area_kind", "us: move us-sag2 germany", OrderCode.NO_ROUTE,
         "sea units cannot enter land area germany"),
    Case("wrong_area_kind_on_route", "us: move us-sag2 baltic_sea via germany",
         OrderCode.NO_ROUTE, "sea units cannot enter land area germany"),
    Case("unknown_destination", "us: move us-31fw atlantis", OrderCode.UNKNOWN_AREA,
         "there is no area 'atlantis'"),
    Case("unknown_area_on_route", "us: move us-31fw poland via atlantis", OrderCode.UNKNOWN_AREA,
         "there is no area 'atlantis'"),
    Case("too_far", "us: move us-3abct poland", OrderCode.TOO_FAR,
         "poland is beyond us-3abct's reach this turn (movement 2)"),
    Case("too_far_by_route", "us: move us-3abct poland via germany", OrderCode.TOO_FAR,
         "the route costs 3 but us-3abct moves 2"),
    Case("enemy_in_destination", "poland: move pl-15mech belarus", OrderCode.ENEMY_PRESENT,
         "belarus holds hostile forces: attack it instead"),
    Case("enemy_on_route", "poland: move pl-15mech western_russia via belarus",
         OrderCode.ENEMY_PRESENT, "belarus holds hostile forces: attack it instead"),
    Case("attack_no_enemy", "us: attack poland with us-31fw", OrderCode.NO_ENEMY,
         "poland holds no forces hostile to us"),
    Case("attack_unknown_area", "us: attack atlantis with us-31fw", OrderCode.UNKNOWN_AREA,
         "there is no area 'atlantis'"),
    Case("out_of_range_not_adjacent", "us: attack kaliningrad with us-sag2",
         OrderCode.OUT_OF_RANGE, "kaliningrad is out of us-sag2's reach from conus (range 1)"),
    Case("out_of_range_wrong_domain", "poland: attack baltic_sea with pl-15mech",
         OrderCode.OUT_OF_RANGE, "baltic_sea is out of pl-15mech's reach from baltics (range 1)"),
    Case("out_of_range_too_far", "us: attack western_russia with us-31fw",
         OrderCode.OUT_OF_RANGE, "western_russia is out of us-31fw's reach from germany (range 2)"),
    Case("unknown_action", "us: act nuke", OrderCode.UNKNOWN_ACTION,
         "there is no action 'nuke'"),
    Case("not_open_to_role", "us: act snap_drill", OrderCode.NOT_PERMITTED,
         "'snap_drill' is not open to a leader such as us"),
    Case("action_twice", "us: act statement russia", OrderCode.ALREADY_ORDERED,
         "'statement' can be taken once a turn"),
    Case("missing_target", "poland: act sanctions", OrderCode.BAD_TARGET,
         "'sanctions' needs a target actor"),
    Case("target_not_wanted", "poland: act exercise poland", OrderCode.BAD_TARGET,
         "'exercise' takes no target"),
    Case("target_not_an_actor", "poland: act sanctions baltics", OrderCode.BAD_TARGET,
         "'baltics' is not an actor"),
    Case("target_not_an_area", "us: act forward_deploy narnia", OrderCode.BAD_TARGET,
         "'narnia' is not an area"),
    Case("target_is_self", "poland: act sanctions poland", OrderCode.BAD_TARGET,
         "'sanctions' cannot target poland itself"),
    Case("no_budget", "poland: act sanctions russia", OrderCode.NO_BUDGET,
         "'sanctions' costs 3; poland has 2 left", before=("poland: act exercise",)),
    Case("no_budget_at_all", "poland: act exercise", OrderCode.NO_BUDGET,
         "'exercise' costs 2; poland has 1.5 left", setup={"budgets": {"poland": 1.5}}),
    Case("precondition_track", "us: act sanctions russia", OrderCode.PRECONDITION,
         "'sanctions' requires tension[europe] >= 30"),
    Case("precondition_control", "us: act forward_deploy belarus", OrderCode.PRECONDITION,
         "'forward_deploy' requires blue controls belarus and count of us armored_brigade "
         "units in conus >= 1"),
    Case("game_over", "us: act exercise", OrderCode.GAME_OVER, "the game is over",
         setup={"turn": 7, "finished": True}, background=()),
]


def _start(spec: GameSpec, state: GameState, case: Case) -> GameState:
    return place(spec, state, **case.setup) if case.setup else state


def assert_rejected_without_effect(
    rules: Rules, state: GameState, others: list[Order], bad: Order, code: OrderCode,
    reason: str,
) -> None:
    """``bad`` is rejected with ``code`` and ``reason``, and the turn is otherwise the turn
    played without it."""
    assert bad not in others
    verdict = check_orders(rules, state, [*others, bad])[-1]
    assert (verdict.code, verdict.reason) == (code, reason)
    assert not verdict.ok
    assert verdict.route == ()

    with_bad = resolve_turn(rules, state, [*others, bad])
    without = resolve_turn(rules, state, others)
    assert with_bad.state.digest() == without.state.digest()
    assert with_bad.state == without.state

    rejections = [
        e for e in with_bad.events
        if isinstance(e, OrderRejected) and (e.actor, e.order) == (bad.actor, bad.text())
    ]
    assert len(rejections) == 1
    event = rejections[0]
    assert (event.code, event.reason) == (code.value, reason)
    assert (event.turn, event.phase) == (state.turn, "orders")
    remaining = list(with_bad.events)
    remaining.remove(event)
    assert remaining == list(without.events)

    assert [r for r in with_bad.results if r.order != bad] == list(without.results)
    assert [r for r in with_bad.results if r.order == bad] == [verdict]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_illegal_order_is_rejected_without_effect(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState, case: Case
) -> None:
    state = _start(tutorial_spec, tutorial_state, case)
    others = [parse_order(t) for t in (*case.background, *case.before)]
    if not state.finished:
        assert all(r.ok for r in check_orders(tutorial_rules, state, others))
    assert_rejected_without_effect(
        tutorial_rules, state, others, parse_order(case.order), case.code, case.reason
    )


def test_every_rejection_code_has_a_case() -> None:
    """A new rejection code needs a case above."""
    special = {OrderCode.NOT_DEPLOYABLE}  # needs a spec variant: see the test below
    assert {case.code for case in CASES} | special == set(OrderCode) - {OrderCode.OK}


def test_forces_stay_in_their_permitted_theaters(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """An actor with ``deploys_to`` may not send units into another theater's areas,
    by the cheapest route or by a pinned one; off-map boxes stay open."""
    spec = dataclasses.replace(
        tutorial_spec,
        actors=tuple(
            dataclasses.replace(a, deploys_to=frozenset({"asia"})) if a.id == "us" else a
            for a in tutorial_spec.actors
        ),
    )
    rules = Rules(spec)
    for order, area in (("us: move us-2cr poland", "poland"),
                        ("us: move us-3abct poland via germany", "germany")):
        assert_rejected_without_effect(
            rules, tutorial_state, [], parse_order(order), OrderCode.NOT_DEPLOYABLE,
            f"us forces may not deploy to europe ({area})",
        )
    assert check_orders(rules, tutorial_state, [parse_order("us: move us-31fw conus")])[0].ok


def test_unit_that_cannot_attack(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """A unit type with range 0 has no attack at all."""
    spec = dataclasses.replace(
        tutorial_spec,
        unit_types=tuple(
            dataclasses.replace(u, range=0) if u.id == "missile_brigade" else u
            for u in tutorial_spec.unit_types
        ),
    )
    assert_rejected_without_effect(
        Rules(spec), tutorial_state, [parse_order(t) for t in BACKGROUND],
        parse_order("russia: attack poland with ru-152msl"), OrderCode.OUT_OF_RANGE,
        "ru-152msl (Missile brigade) cannot attack",
    )


def test_theater_action_needs_a_home_theater(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """An action about ``$theater`` without a target: the acting actor needs a home."""
    exercise = tutorial_spec.action_by_id["exercise"]
    drill = dataclasses.replace(
        exercise, id="theater_drill", effects=(AdjustTrack("tension", "$theater", 1.0),)
    )
    spec = dataclasses.replace(tutorial_spec, actions=(*tutorial_spec.actions, drill))
    rules = Rules(spec)
    assert check_orders(rules, tutorial_state, [parse_order("poland: act theater_drill")])[0].ok
    assert_rejected_without_effect(
        rules, tutorial_state, [parse_order(t) for t in BACKGROUND],
        parse_order("us: act theater_drill"), OrderCode.BAD_TARGET,
        "'theater_drill' concerns a theater: us has no home theater",
    )


def test_rejected_orders_use_up_nothing(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """A rejected order neither marks its unit as ordered nor spends its actor's budget."""
    orders = [
        parse_order("us: move us-2cr baltics"),  # too far
        parse_order("us: move us-2cr poland"),
        parse_order("poland: act sanctions russia"),  # precondition fails
        parse_order("poland: act sanctions us"),  # rejected again for the same reason
        parse_order("poland: act exercise"),
    ]
    codes = [r.code for r in check_orders(tutorial_rules, tutorial_state, orders)]
    assert codes == [
        OrderCode.TOO_FAR, OrderCode.OK, OrderCode.PRECONDITION, OrderCode.PRECONDITION,
        OrderCode.OK,
    ]


def test_orders_are_checked_against_the_start_of_the_turn(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """Orders are simultaneous: a snap drill taking tension to 33 this turn does not make
    sanctions (tension >= 30) legal in the same turn."""
    result = resolve_turn(
        tutorial_rules, tutorial_state,
        [parse_order("russia: act snap_drill"), parse_order("us: act sanctions russia")],
    )
    assert [r.code for r in result.results] == [OrderCode.OK, OrderCode.PRECONDITION]


def test_accepted_move_reports_its_route(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    results = check_orders(tutorial_rules, tutorial_state, [
        parse_order("us: move us-3abct germany"),
        parse_order("poland: move pl-12mech baltics"),
        parse_order("us: move us-31fw baltics via poland"),
    ])
    assert [r.route for r in results] == [
        ("conus", "germany"), ("poland", "baltics"), ("germany", "poland", "baltics"),
    ]
    assert all(r.ok and r.reason == "" for r in results)


def test_reachable_finds_cheapest_routes_and_avoids_hostiles(
    tutorial_rules: Rules, tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    board = Board(tutorial_spec, tutorial_state)
    fighter = tutorial_state.unit("us-31fw")
    assert fighter is not None
    routes = reachable(tutorial_rules, board, fighter)
    # Movement 3 over any edge, never through an area holding Russian forces.
    assert {area: r.path for area, r in routes.items()} == {
        "conus": ("germany", "conus"),
        "poland": ("germany", "poland"),
        "baltics": ("germany", "poland", "baltics"),
    }
    assert {area: r.cost for area, r in routes.items()} == {"conus": 1, "poland": 1, "baltics": 2}
    missile = tutorial_state.unit("ru-152msl")
    assert missile is not None
    assert reachable(tutorial_rules, board, missile) == {}


def test_legal_action_orders_lists_exactly_the_legal_ones(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    found = {
        actor.id: legal_action_orders(tutorial_rules, tutorial_state, actor.id)
        for actor in tutorial_spec.actors
    }
    texts = {actor: [o.text() for o in orders] for actor, orders in found.items()}
    assert {
        "act statement poland", "act statement russia", "act forward_deploy germany",
        "act forward_deploy poland", "act forward_deploy baltics", "act exercise",
    } <= set(texts["us"])
    assert "act forward_deploy belarus" not in texts["us"]  # not held by blue
    assert "act sanctions russia" not in texts["us"]  # tension below 30
    assert texts["poland"] == ["act exercise"]
    assert {"act snap_drill", "act disinformation us", "act disinformation poland"} <= set(
        texts["russia"]
    )
    assert "act mobilise" not in texts["russia"]  # tension below 40
    # Exhaustively: every order listed is legal, and every action order not listed is not.
    targets = ["", *tutorial_spec.actor_by_id, *tutorial_spec.area_by_id,
               *(t.id for t in tutorial_spec.theaters)]
    for actor in tutorial_spec.actors:
        listed = set(found[actor.id])
        assert len(listed) == len(found[actor.id])
        for action in tutorial_spec.actions:
            for target in targets:
                order = TakeAction(actor.id, action.id, target)
                verdict = check_orders(tutorial_rules, tutorial_state, [order])[0]
                assert verdict.ok == (order in listed), (order, verdict.reason)


def test_game_over_rejects_every_kind_of_order(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    over = place(tutorial_spec, tutorial_state, turn=7, finished=True)
    orders: list[Order] = [
        parse_order("us: move us-2cr poland"),
        parse_order("poland: attack belarus with pl-12mech"),
        parse_order("russia: act snap_drill"),
        Move("nato", "x", "y"),
    ]
    verdicts = check_orders(tutorial_rules, over, orders)
    assert {(r.code, r.reason) for r in verdicts} == {(OrderCode.GAME_OVER, "the game is over")}
