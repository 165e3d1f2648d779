"""House rule 5: values serialise, and ``load(dump(x)) == x`` for states, orders and events.

The state must also keep its digest through a round trip (and through JSON), since saves
compare digests to detect a replay that diverges.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core import (
    Attack,
    Event,
    GameSpec,
    GameState,
    Move,
    Order,
    Rules,
    TakeAction,
    event_from_dict,
    order_from_dict,
    order_text,
    order_to_dict,
    parse_order,
    resolve_turn,
)
from engine.core.events import EVENT_TYPES
from engine.errors import InvalidOrder

from .support import candidate_orders, place

# ----------------------------------------------------------------------------- helpers


def assert_state_round_trips(state: GameState) -> None:
    data = state.to_dict()
    again = GameState.from_dict(data)
    assert again == state
    assert again.digest() == state.digest()
    through_json = GameState.from_dict(json.loads(json.dumps(data)))
    assert through_json == state
    assert through_json.digest() == state.digest()
    assert through_json.to_dict() == data


def assert_event_round_trips(event: Event) -> None:
    data = event.to_dict()
    assert data["kind"] == event.kind
    assert event_from_dict(data) == event
    assert event_from_dict(json.loads(json.dumps(data))) == event


# ----------------------------------------------------------------------------- states


def test_initial_state_round_trips(tutorial_state: GameState) -> None:
    assert_state_round_trips(tutorial_state)


def test_digest_is_sha256_of_canonical_json(tutorial_state: GameState) -> None:
    digest = tutorial_state.digest()
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert json.loads(tutorial_state.canonical_json()) == tutorial_state.to_dict()


def test_digest_tells_states_apart(tutorial_spec: GameSpec, tutorial_state: GameState) -> None:
    moved = place(tutorial_spec, tutorial_state, units={"us-2cr": {"area": "poland"}})
    assert moved.digest() != tutorial_state.digest()
    assert dataclasses.replace(tutorial_state, rng=1).digest() != tutorial_state.digest()


def test_whole_numbers_keep_the_digest(tutorial_state: GameState) -> None:
    """A state holding ints where floats belong is equal to its round trip, so its digest
    must be too (a track set to a whole number from YAML, a hand-built state)."""
    whole = dataclasses.replace(
        tutorial_state,
        tracks=tuple(int(v) for v in tutorial_state.tracks),
        budgets=tuple(int(v) for v in tutorial_state.budgets),
        units=tuple(u._replace(strength=int(u.strength)) for u in tutorial_state.units),
    )
    assert whole == tutorial_state
    assert whole.digest() == tutorial_state.digest()
    assert_state_round_trips(whole)


def test_a_track_clamped_at_its_bound_keeps_the_digest(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    """The tutorial's bounds are whole numbers, so US credibility pushed past 100 by a
    forward deployment is stored as the int 100; a reloaded save must still match."""
    start = place(tutorial_spec, tutorial_state, tracks={"credibility": {"us": 99}})
    after = resolve_turn(
        tutorial_rules, start, [parse_order("us: act forward_deploy poland")]
    ).state
    assert after.tracks[tutorial_spec.track_slots[("credibility", "us")]] == 100
    assert_state_round_trips(after)


def test_unknown_state_format_is_refused(tutorial_state: GameState) -> None:
    data = tutorial_state.to_dict()
    data["format"] = 99
    with pytest.raises(ValueError, match="unsupported state format 99"):
        GameState.from_dict(data)


FIXED_GAME = [
    ["russia: act snap_drill", "us: act statement poland", "poland: move pl-12mech baltics"],
    ["russia: attack baltics with ru-6gta ru-76vdv", "us: act forward_deploy poland"],
    ["us: act sanctions russia", "russia: act disinformation poland", "us: move us-2cr poland"],
    ["russia: attack baltics with ru-11ac", "poland: act exercise"],
]


def test_states_after_several_turns_round_trip(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    state = tutorial_state
    for texts in FIXED_GAME:
        result = resolve_turn(tutorial_rules, state, [parse_order(t) for t in texts])
        assert all(r.ok for r in result.results), [r.reason for r in result.results]
        state = result.state
        assert_state_round_trips(state)
        for event in result.events:
            assert_event_round_trips(event)
    assert state.turn == len(FIXED_GAME) + 1


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_legal_games_round_trip(
    tutorial_rules: Rules, tutorial_state: GameState, data: st.DataObject
) -> None:
    """Random sets of individually legal orders, over several turns: every state and event
    round-trips, and adjudication is a pure function of rules, state and orders."""
    state = tutorial_state
    for _ in range(data.draw(st.integers(1, 6), label="turns")):
        options = candidate_orders(tutorial_rules, state)
        orders: list[Order] = (
            data.draw(st.lists(st.sampled_from(options), max_size=10), label="orders")
            if options
            else []
        )
        before = state.digest()
        result = resolve_turn(tutorial_rules, state, orders)
        assert state.digest() == before, "resolve_turn changed its input"
        again = resolve_turn(tutorial_rules, state, list(orders))
        assert again.state == result.state
        assert again.events == result.events
        assert len(result.results) == len(orders)
        state = result.state
        assert_state_round_trips(state)
        for event in result.events:
            assert_event_round_trips(event)


# ----------------------------------------------------------------------------- orders

NAMES = st.from_regex(r"[a-z][a-z0-9_\-]{0,10}", fullmatch=True)

ORDERS: st.SearchStrategy[Order] = st.one_of(
    st.builds(Move, NAMES, NAMES, NAMES, st.lists(NAMES, max_size=3).map(tuple)),
    st.builds(Attack, NAMES, NAMES, st.lists(NAMES, min_size=1, max_size=4).map(tuple)),
    st.builds(TakeAction, NAMES, NAMES, st.one_of(st.just(""), NAMES)),
)


@given(ORDERS)
def test_orders_round_trip_as_text(order: Order) -> None:
    text = order_text(order)
    assert parse_order(text) == order
    assert parse_order(order.text(), actor=order.actor) == order


@given(ORDERS)
def test_orders_round_trip_as_dicts(order: Order) -> None:
    data = order_to_dict(order)
    assert order_from_dict(data) == order
    assert order_from_dict(json.loads(json.dumps(data))) == order


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("us: move us-2cr poland", Move("us", "us-2cr", "poland")),
        ("us:move us-3abct poland via germany", Move("us", "us-3abct", "poland", ("germany",))),
        ("  poland:  MOVE pl-12mech   baltics ", Move("poland", "pl-12mech", "baltics")),
        ("russia: attack baltics with ru-6gta ru-76vdv",
         Attack("russia", "baltics", ("ru-6gta", "ru-76vdv"))),
        ("us: act statement poland", TakeAction("us", "statement", "poland")),
        ("poland: Act exercise", TakeAction("poland", "exercise")),
    ],
)
def test_parse_order_examples(text: str, order: Order) -> None:
    assert parse_order(text) == order
    assert parse_order(order_text(order)) == order


def test_parse_order_uses_the_given_actor_without_a_prefix() -> None:
    assert parse_order("act exercise", actor="poland") == TakeAction("poland", "exercise")
    assert parse_order("us: act exercise", actor="poland") == TakeAction("us", "exercise")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("move us-2cr poland", "order 'move us-2cr poland' does not say which actor gives it"),
        ("us:", "empty order"),
        ("us: move us-2cr", "'move us-2cr': write 'move UNIT DESTINATION [via AREA ...]'"),
        ("us: move a b c", "'move a b c': after the destination write 'via AREA ...'"),
        ("us: move a b via", "'move a b via': after the destination write 'via AREA ...'"),
        ("us: attack baltics ru-6gta", "'attack baltics ru-6gta': write 'attack AREA with UNIT "
                                       "[UNIT ...]'"),
        ("us: attack baltics with", "'attack baltics with': write 'attack AREA with UNIT "
                                    "[UNIT ...]'"),
        ("us: act", "'act': write 'act ACTION [TARGET]'"),
        ("us: act a b c", "'act a b c': write 'act ACTION [TARGET]'"),
        ("us: fly us-31fw poland", "unknown order 'fly': use move, attack or act"),
    ],
)
def test_malformed_order_texts_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidOrder) as caught:
        parse_order(text)
    assert str(caught.value) == message


ORDER_WORDS = st.sampled_from(
    ["move", "attack", "act", "with", "via", "us:", ":", "poland", "MOVE", "x", "", " ", "\t"]
)


@given(st.one_of(st.text(max_size=40), st.lists(ORDER_WORDS, max_size=8).map(" ".join)))
def test_any_text_parses_or_raises_invalid_order(text: str) -> None:
    try:
        order = parse_order(text, actor="us")
    except InvalidOrder:
        return
    assert parse_order(order_text(order)) == order


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
ORDER_KEYS = st.sampled_from(
    ["type", "actor", "unit", "destination", "via", "target", "units", "action"]
)
ORDER_DICTS = st.dictionaries(
    ORDER_KEYS,
    st.one_of(
        st.sampled_from(["move", "attack", "act", "us", "poland", ""]),
        st.lists(st.sampled_from(["a", "b", ""]), max_size=3),
        JSON_VALUES,
    ),
)


@given(st.one_of(ORDER_DICTS, JSON_VALUES))
def test_any_mapping_reads_as_an_order_or_raises_invalid_order(data: Any) -> None:
    try:
        order = order_from_dict(data)
    except InvalidOrder:
        return
    assert order_from_dict(order_to_dict(order)) == order


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "an order must be a mapping, not list"),
        ({"type": "fly", "actor": "us"},
         "order {'type': 'fly', 'actor': 'us'}: 'type' must be move, attack or act"),
        ({"type": "move", "unit": "u", "destination": "d"},
         "order {'type': 'move', 'unit': 'u', 'destination': 'd'}: 'actor' must be a non-empty "
         "string"),
        ({"type": "move", "actor": "us", "unit": "u", "destination": "d", "via": "x"},
         "order {'type': 'move', 'actor': 'us', 'unit': 'u', 'destination': 'd', 'via': 'x'}: "
         "'via' must be a list of names"),
        ({"type": "attack", "actor": "us", "target": "t", "units": []},
         "order {'type': 'attack', 'actor': 'us', 'target': 't', 'units': []}: an attack needs "
         "at least one unit"),
        ({"type": "act", "actor": "us", "action": "a", "target": 3},
         "order {'type': 'act', 'actor': 'us', 'action': 'a', 'target': 3}: 'target' must be a "
         "non-empty string"),
    ],
)
def test_malformed_order_dicts_say_why(data: Any, message: str) -> None:
    with pytest.raises(InvalidOrder) as caught:
        order_from_dict(data)
    assert str(caught.value) == message


# ----------------------------------------------------------------------------- events


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def test_every_event_kind_is_registered() -> None:
    """A new event class that ``event_from_dict`` does not know could never be loaded.

    Kinds are compared rather than classes: ``dataclass(slots=True)`` replaces each class,
    and the discarded originals linger in ``__subclasses__`` until collected.
    """
    assert {cls.kind for cls in _all_subclasses(Event)} == set(EVENT_TYPES)
    assert all(kind == cls.kind for kind, cls in EVENT_TYPES.items())


def _field_strategy(hint: Any) -> st.SearchStrategy[Any]:
    if hint is str:
        return st.text(max_size=8)
    if hint is int:
        return st.integers(-(2**31), 2**31)
    if hint is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if hint is bool:
        return st.booleans()
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_field_strategy(args[0]), max_size=3).map(tuple)
        return st.tuples(*(_field_strategy(a) for a in args))
    raise AssertionError(f"no strategy for event field type {hint!r}: extend this test")


def _event_strategy(cls: type[Event]) -> st.SearchStrategy[Event]:
    hints = typing.get_type_hints(cls)
    return st.builds(
        cls, **{f.name: _field_strategy(hints[f.name]) for f in dataclasses.fields(cls)}
    )


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
@settings(max_examples=25)
@given(data=st.data())
def test_every_event_kind_round_trips(kind: str, data: st.DataObject) -> None:
    event = data.draw(_event_strategy(EVENT_TYPES[kind]))
    assert_event_round_trips(event)
    assert isinstance(event.describe(), str)


def test_unknown_event_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown event kind 'nonsense'"):
        event_from_dict({"kind": "nonsense", "turn": 1, "phase": "", "cause": ""})
