"""The board's kept answers about units, the order checker's kept preconditions, and the
lazy digest of a turn record give the answers they would give if nothing were kept.

- Boards made from one :class:`UnitIndex` share its answers until one of them changes a
  unit; the change shows on that board only, never on the other or in the index.
- ``units_in``, ``units_of``, the hostile queries, ``pressure_on`` and
  ``defended_neighbours`` agree with a brute-force reading of the units, and so does the
  ``units`` condition for many filters, tokens and contexts.
- ``Board.revision`` counts recorded changes; the order checker re-evaluates a precondition
  once the board has changed, and one that draws a ``chance`` or looks at what ``happened``
  every time it is asked.
- Action orders are rejected in a fixed order of precedence, with the same code and reason
  each time they are asked about.
- A turn record's digest is its state's, and replaying the recorded orders reaches it.
"""

from __future__ import annotations

import dataclasses
import importlib
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.ai.players import make_bots
from engine.content.loader import LoadedGame
from engine.core import (
    GameSpec,
    GameState,
    OrderCode,
    Rules,
    TakeAction,
    Unit,
    check_orders,
    initial_state,
    parse_order,
    resolve_turn,
)
from engine.core.board import Board, UnitIndex
from engine.core.compiled import Context, compile_condition, unit_tally
from engine.core.events import MessageSent, UnitDamaged, UnitDestroyed, UnitMoved
from engine.core.language import (
    ALWAYS,
    All,
    Any_,
    Chance,
    Compare,
    Comparison,
    Happened,
    Measure,
    Not,
    TrackIs,
    UnitsIn,
    depends_on_moment,
)
from engine.core.legality import OrderChecker
from engine.core.observation import Observer
from engine.runner import play_game

from .support import place

# The default scenario comes from the doctrine tests' helpers, loaded once for the whole
# session.  It is imported by name at run time: mypy, given this file as "core.test_queries",
# would otherwise meet tests/core/ under two module names ("core" and "tests.core").
_DOCTRINE_SUPPORT = importlib.import_module("tests.ai.doctrine_support")


def default_game() -> LoadedGame:
    """The default scenario (15 actors, 226 units), loaded once per session."""
    game: LoadedGame = _DOCTRINE_SUPPORT.default_game()
    return game


def default_rules() -> Rules:
    """The default scenario's compiled rules, built once per session."""
    rules: Rules = _DOCTRINE_SUPPORT.default_rules()
    return rules


@cache
def default_state() -> GameState:
    """The default scenario's state at the start of turn 1."""
    return initial_state(default_game().spec)


QUERY_ACTORS = ("us", "poland", "russia", "china")
"""Actors of both sides whose hostile queries are compared (allies share a side's answers)."""

Answers = dict[str, dict[tuple[str, ...], object]]
"""Query name to ``{arguments: answer}``."""


# ----------------------------------------------------------------------------- brute force


def brute_force(
    spec: GameSpec, units: Iterable[Unit], areas: Sequence[str], actors: Sequence[str]
) -> Answers:
    """Every query of :func:`board_answers`, worked out from the units alone: id order,
    hostility from ``spec.hostile_pairs``, sums in the documented order."""
    ordered = sorted(units, key=lambda u: u.id)

    def in_area(area: str) -> tuple[Unit, ...]:
        return tuple(u for u in ordered if u.area == area)

    def hostile(area: str, actor: str) -> tuple[Unit, ...]:
        return tuple(u for u in in_area(area) if (actor, u.owner) in spec.hostile_pairs)

    def strength(area: str, actor: str) -> float:
        total = 0.0
        for unit in hostile(area, actor):
            total += unit.strength
        return total

    def pressure(area: str, actor: str) -> float:
        total = 0.0
        for neighbour, _ in spec.neighbours[area]:
            for unit in hostile(neighbour, actor):
                total += unit.strength
        return total

    def defended(area: str, actor: str) -> tuple[tuple[str, float], ...]:
        return tuple(
            (
                neighbour,
                strength(neighbour, actor)
                * spec.terrain_by_id[spec.area_by_id[neighbour].terrain].defense,
            )
            for neighbour, _ in spec.neighbours[area]
            if hostile(neighbour, actor)
        )

    pairs = [(area, actor) for area in areas for actor in actors]
    return {
        "units_in": {(area,): in_area(area) for area in areas},
        "units_of": {(actor,): tuple(u for u in ordered if u.owner == actor) for actor in actors},
        "hostile_units_in": {pair: hostile(*pair) for pair in pairs},
        "hostile_strength": {pair: strength(*pair) for pair in pairs},
        "pressure_on": {pair: pressure(*pair) for pair in pairs},
        "defended_neighbours": {pair: defended(*pair) for pair in pairs},
    }


def board_answers(board: Board, areas: Sequence[str], actors: Sequence[str]) -> Answers:
    """The board's answers to the queries :func:`brute_force` works out."""
    pairs = [(area, actor) for area in areas for actor in actors]
    return {
        "units_in": {(area,): board.units_in(area) for area in areas},
        "units_of": {(actor,): board.units_of(actor) for actor in actors},
        "hostile_units_in": {pair: board.hostile_units_in(*pair) for pair in pairs},
        "hostile_strength": {pair: board.hostile_strength(*pair) for pair in pairs},
        "pressure_on": {pair: board.pressure_on(*pair) for pair in pairs},
        "defended_neighbours": {pair: board.defended_neighbours(*pair) for pair in pairs},
    }


_TOKENS = {"$self": "actor", "$target": "target", "$theater": "theater", "$member": "member"}

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
    "ge": operator.ge,
    "gt": operator.gt,
}


def token_value(name: str, ctx: Context) -> str:
    """What a selector field stands for in ``ctx``: a token's context field, else itself."""
    field = _TOKENS.get(name)
    return name if field is None else str(getattr(ctx, field))


def brute_tally(
    spec: GameSpec, units: Iterable[Unit], cond: UnitsIn, ctx: Context
) -> tuple[int, float]:
    """Count and strength of the units ``cond`` selects, by testing every unit in id order."""
    chosen = [
        u
        for u in sorted(units, key=lambda u: u.id)
        if (not cond.actor or u.owner == token_value(cond.actor, ctx))
        and (not cond.side or spec.actor_by_id[u.owner].side == cond.side)
        and (not cond.unit_type or u.unit_type == cond.unit_type)
        and (not cond.area or u.area == token_value(cond.area, ctx))
        and (not cond.theater or spec.area_by_id[u.area].theater == token_value(cond.theater, ctx))
    ]
    total = 0.0
    for unit in chosen:
        total += unit.strength
    return len(chosen), total


def brute_verdict(spec: GameSpec, units: Iterable[Unit], cond: UnitsIn, ctx: Context) -> bool:
    count, strength = brute_tally(spec, units, cond, ctx)
    value = count if cond.measure == "count" else strength
    return _COMPARE[cond.compare.op](value, cond.compare.threshold)


# ----------------------------------------------------------------------------- 1. sharing


@dataclasses.dataclass(frozen=True)
class Change:
    """One change to a board's units, and the owner and area whose tally it changes."""

    id: str
    apply: Callable[[Board], object]
    owner: str
    area: str


CHANGES = [
    Change(
        "move",
        lambda b: b.move_unit("ru-11ac", ("kaliningrad", "baltic_states"), "test"),
        "russia",
        "kaliningrad",
    ),
    Change(
        "relocate", lambda b: b.relocate_unit("ru-rgf-by", "ukraine", "test"), "russia", "belarus"
    ),
    Change("damage", lambda b: b.damage_unit("ru-rgf-by", 1.0, "test"), "russia", "belarus"),
    Change("destroy", lambda b: b.damage_unit("ru-152msl", 5.0, "test"), "russia", "kaliningrad"),
    Change(
        "add",
        lambda b: b.add_unit("infantry_brigade", "russia", "belarus", 3.0, "test"),
        "russia",
        "belarus",
    ),
    Change("remove", lambda b: b.remove_unit("us-rot-abct", "test"), "us", "poland"),
]

STRENGTH_HERE = UnitsIn(Compare("ge", 0.0), "strength", actor="$self", area="$target")
"""A ``units`` condition whose tally each change above alters."""


@pytest.mark.parametrize("change", CHANGES, ids=[c.id for c in CHANGES])
def test_boards_share_answers_but_not_changes(change: Change) -> None:
    """Two boards made from one index share its answers; a change to one board's units
    changes every query on that board only, and leaves the index as it was."""
    game = default_game()
    spec, state = game.spec, default_state()
    areas = [a.id for a in spec.areas]
    index = UnitIndex(state.units)
    saved = (dict(index.units), dict(index.at), dict(index.owned))
    changed, other = Board(spec, state, index), Board(spec, state, index)
    tally = unit_tally(spec, STRENGTH_HERE)
    ctx = Context(actor=change.owner, target=change.area)

    before = brute_force(spec, state.units, areas, QUERY_ACTORS)
    assert board_answers(changed, areas, QUERY_ACTORS) == before
    old_tally = tally(changed, ctx)
    assert old_tally == brute_tally(spec, state.units, STRENGTH_HERE, ctx)
    assert old_tally[0] > 0
    # What one board worked out, the other reads: they hold the index's answers.
    assert other.tallies is changed.tallies is index.queries.tallies
    assert other.units_in(change.area) is changed.units_in(change.area)
    assert tally(other, ctx) == old_tally

    change.apply(changed)

    assert (changed.revision, other.revision) == (1, 0)
    after = brute_force(spec, changed.units.values(), areas, QUERY_ACTORS)
    for query, answers in after.items():
        assert answers != before[query], f"{change.id} should change {query}"
    # The unchanged board first (its answers were worked out before the change), then the
    # changed one, then a board newly made from the index: each gives its own units' answers.
    assert board_answers(other, areas, QUERY_ACTORS) == before
    assert board_answers(changed, areas, QUERY_ACTORS) == after
    assert board_answers(Board(spec, state, index), areas, QUERY_ACTORS) == before
    assert board_answers(other, areas, QUERY_ACTORS) == before
    assert (dict(index.units), dict(index.at), dict(index.owned)) == saved

    new_tally = tally(changed, ctx)
    assert new_tally == brute_tally(spec, changed.units.values(), STRENGTH_HERE, ctx)
    assert new_tally != old_tally
    assert tally(other, ctx) == old_tally
    assert changed.tallies is not index.queries.tallies
    assert other.tallies is index.queries.tallies

    # And the other way round: a change to the second board leaves the first alone.
    other.remove_unit("pl-wot", "test")
    assert board_answers(other, areas, QUERY_ACTORS) == brute_force(
        spec, other.units.values(), areas, QUERY_ACTORS
    )
    assert board_answers(changed, areas, QUERY_ACTORS) == after
    assert board_answers(Board(spec, state, index), areas, QUERY_ACTORS) == before


def test_a_unit_destroyed_by_damage_leaves_every_list() -> None:
    """Damage below the combat table's floor destroys the unit: it leaves its area's and
    its owner's lists, and a unit damaged but not destroyed keeps its place with its new
    strength."""
    spec, state = default_game().spec, default_state()
    board = Board(spec, state)
    assert "ru-152msl" in {u.id for u in board.units_in("kaliningrad")}
    board.damage_unit("ru-152msl", 5.0, "test")
    board.damage_unit("ru-11ac", 1.0, "test")
    assert [type(e) for e in board.events] == [UnitDestroyed, UnitDamaged]
    assert [u.id for u in board.units_in("kaliningrad")] == ["ru-11ac"]
    assert board.units_in("kaliningrad")[0].strength == 1.5
    assert "ru-152msl" not in {u.id for u in board.units_of("russia")}
    assert board.hostile_strength("kaliningrad", "poland") == 1.5


# ----------------------------------------------------------------------------- 2. brute force


def test_queries_match_a_brute_force_reading_of_the_default_scenario() -> None:
    """For every area and actors of every role and both sides, each query on the initial
    state equals the brute-force answer, whether asked first or from what was kept."""
    spec, state = default_game().spec, default_state()
    areas = [a.id for a in spec.areas]
    actors = ("us", "poland", "japan", "taiwan", "russia", "china", "north_korea")
    assert ("us", "russia") in spec.hostile_pairs and ("russia", "japan") in spec.hostile_pairs
    assert ("us", "poland") not in spec.hostile_pairs
    expected = brute_force(spec, state.units, areas, actors)
    board = Board(spec, state)
    assert board_answers(board, areas, actors) == expected
    assert board_answers(board, areas, actors) == expected  # the kept answers
    assert board_answers(Board(spec, state, UnitIndex(state.units)), areas, actors) == expected
    # Not vacuous: the scenario has hostile forces, pressure and defended neighbours.
    assert sum(len(board.units_in(area)) for area in areas) == len(state.units) == 226
    assert any(expected["hostile_units_in"].values())
    assert any(expected["pressure_on"].values())
    assert any(expected["defended_neighbours"].values())
    assert not all(expected["defended_neighbours"].values())


@pytest.mark.parametrize(
    ("to", "readers"),
    [
        ("all", {"us", "japan", "russia", "china"}),
        ("japan", {"japan"}),
        ("russia", {"russia"}),
        ("", set()),
        ("nobody_known", set()),
    ],
)
def test_a_message_is_seen_by_its_addressee_alone(to: str, readers: set[str]) -> None:
    """A message to all is seen by every actor, one to an actor by that actor only, and one
    to nobody (an empty or unknown recipient) by no one, allies included."""
    spec, state = default_game().spec, default_state()
    message = MessageSent(state.turn, "triggers", "trigger:test", to, "hello")
    observer = Observer(spec, state, (message,))
    seen = {
        actor
        for actor in ("us", "japan", "russia", "china")
        if message in observer.of(actor).events
    }
    assert seen == readers


def test_an_observation_index_is_shared_by_allies_and_matches_their_belief() -> None:
    """Allies are given one index of the units they see; a board on it answers as a brute
    force over the belief state's units, and the other side's index is another one."""
    spec, state = default_game().spec, default_state()
    observer = Observer(spec, state)
    areas = [a.id for a in spec.areas]
    views = {actor: observer.of(actor) for actor in ("us", "japan", "russia", "china")}
    assert views["us"].index is not None and views["russia"].index is not None
    assert views["us"].index is views["japan"].index
    assert views["russia"].index is views["china"].index
    assert views["us"].index is not views["russia"].index
    for actor, seen in views.items():
        units = seen.state.units
        assert 0 < len(units) < len(state.units), actor  # fog hides some hostile units
        board = Board(spec, seen.state, seen.index)
        assert board_answers(board, areas, QUERY_ACTORS) == brute_force(
            spec, units, areas, QUERY_ACTORS
        )


# ----------------------------------------------------------------------------- 3. `units`

ACTOR_FIELDS = ("", "$self", "$target", "us", "poland", "russia", "north_korea", "nato")
SIDE_FIELDS = ("", "blue", "red")
TYPE_FIELDS = ("", "infantry_brigade", "missile_brigade", "fighter_wing", "armored_brigade")
AREA_FIELDS = ("", "$target", "$self", "poland", "belarus", "conus", "north_korea")
THEATER_FIELDS = ("", "$theater", "$target", "europe", "asia")
OPS: tuple[Comparison, ...] = ("lt", "le", "eq", "ne", "ge", "gt")
MEASURES: tuple[Measure, ...] = ("count", "strength")

CONTEXTS = (
    Context(actor="us", target="poland"),  # poland is an actor and an area
    Context(actor="poland", target="baltic_states", theater="europe"),  # an area only
    Context(actor="russia", target="us", theater="europe"),
    Context(actor="china", target="asia", theater="asia"),  # a theater
    Context(actor="north_korea", target="nato", theater="asia"),  # a coalition
    Context(actor="japan", target="north_korea", theater="asia"),
    Context(actor="ukraine", target="", theater="europe"),
    Context(actor="taiwan", target="nowhere", theater="asia"),
)


@cache
def unit_boards() -> tuple[tuple[Board, tuple[Unit, ...]], ...]:
    """The default scenario's opening board, and one after a few unit changes, each with
    its units; the same boards serve every example, so kept tallies pile up on them."""
    spec, state = default_game().spec, default_state()
    opening = Board(spec, state)
    moved = Board(spec, state)
    moved.move_unit("ru-rgf-by", ("belarus", "poland"), "test")
    moved.damage_unit("pl-12mech", 1.0, "test")
    moved.remove_unit("us-rot-abct", "test")
    moved.add_unit("fighter_wing", "us", "conus", 2.0, "test")
    # Strengths are halves, so sums are exact in any order and tallies compare with ==.
    assert all((2 * u.strength).is_integer() for b in (opening, moved) for u in b.units.values())
    return (
        (opening, tuple(opening.units.values())),
        (moved, tuple(moved.units.values())),
    )


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(
    actor=st.sampled_from(ACTOR_FIELDS),
    side=st.sampled_from(SIDE_FIELDS),
    unit_type=st.sampled_from(TYPE_FIELDS),
    area=st.sampled_from(AREA_FIELDS),
    theater=st.sampled_from(THEATER_FIELDS),
    measure=st.sampled_from(MEASURES),
    op=st.sampled_from(OPS),
    threshold=st.sampled_from((0.0, 1.0, 3.0, 7.0, 40.0)),
)
def test_units_condition_matches_a_brute_force_filter(
    actor: str,
    side: str,
    unit_type: str,
    area: str,
    theater: str,
    measure: Measure,
    op: Comparison,
    threshold: float,
) -> None:
    """A compiled ``units`` condition counts and weighs the units a brute-force filter
    selects, and gives its verdict, in every context, on boards with and without kept
    tallies."""
    spec = default_game().spec
    cond = UnitsIn(Compare(op, threshold), measure, actor, side, unit_type, area, theater)
    holds = compile_condition(spec, cond)
    tally = unit_tally(spec, cond)
    for board, units in unit_boards():
        fresh = Board(spec, board.freeze())
        for ctx in CONTEXTS:
            expected = brute_tally(spec, units, cond, ctx)
            assert tally(board, ctx) == expected, ctx
            assert tally(board, ctx) == expected, ctx  # kept
            assert tally(fresh, ctx) == expected, ctx
            verdict = brute_verdict(spec, units, cond, ctx)
            assert holds(board, ctx) is verdict, ctx
            assert holds(fresh, ctx) is verdict, ctx


def test_units_tally_matches_a_brute_force_filter_for_every_shape_of_filter() -> None:
    """Every combination of selectors (none, a token or an id for each), so that every
    list the tally may start from (an area's, an actor's, a side's, all) is taken, counts
    and weighs what a brute-force filter selects, in every context."""
    spec = default_game().spec
    shapes = 0
    for actor in ("", "$self", "$target", "russia"):
        for side in ("", "blue", "red"):
            for unit_type in ("", "infantry_brigade"):
                for area in ("", "$target", "poland"):
                    for theater in ("", "$theater", "asia"):
                        cond = UnitsIn(
                            Compare("ge", 0), "strength", actor, side, unit_type, area, theater
                        )
                        tally = unit_tally(spec, cond)
                        for board, units in unit_boards():
                            for ctx in CONTEXTS:
                                assert tally(board, ctx) == brute_tally(spec, units, cond, ctx), (
                                    cond,
                                    ctx,
                                )
                        shapes += 1
    assert shapes == 216


def test_the_condition_examples_are_not_vacuous() -> None:
    """The brute force the property compares against selects something for most filters:
    units of each side, an actor named by a token, an area named by a token."""
    spec = default_game().spec
    (_, units), _ = unit_boards()
    us, poland = CONTEXTS[0], CONTEXTS[1]
    assert brute_tally(spec, units, UnitsIn(Compare("ge", 1), side="red"), us)[0] > 50
    assert brute_tally(spec, units, UnitsIn(Compare("ge", 1), actor="$target"), us)[0] > 0
    assert brute_tally(spec, units, UnitsIn(Compare("ge", 1), area="$target"), us)[0] > 0
    assert brute_tally(spec, units, UnitsIn(Compare("ge", 1), area="$target"), poland)[0] > 0
    assert (
        brute_tally(
            spec, units, UnitsIn(Compare("ge", 1), side="blue", theater="$theater"), poland
        )[0]
        > 0
    )


WRONG_SIDE = [
    ("self_red_for_us", UnitsIn(Compare("ge", 0), actor="$self", side="red"), CONTEXTS[0]),
    ("self_blue_for_russia", UnitsIn(Compare("ge", 0), actor="$self", side="blue"), CONTEXTS[2]),
    ("named_blue_russia", UnitsIn(Compare("ge", 0), actor="russia", side="blue"), CONTEXTS[0]),
    (
        "self_red_in_area",
        UnitsIn(Compare("ge", 0), actor="$self", side="red", area="poland"),
        CONTEXTS[0],
    ),
    (
        "self_red_in_theater",
        UnitsIn(Compare("ge", 0), "strength", actor="$self", side="red", theater="europe"),
        CONTEXTS[1],
    ),
    (
        "target_blue_is_red",
        UnitsIn(Compare("ge", 0), actor="$target", side="blue"),
        Context(actor="us", target="china"),
    ),
]


@pytest.mark.parametrize(
    ("cond", "ctx"), [(c, x) for _, c, x in WRONG_SIDE], ids=[i for i, _, _ in WRONG_SIDE]
)
def test_an_actor_of_the_other_side_selects_nothing(cond: UnitsIn, ctx: Context) -> None:
    """``actor`` and ``side`` together select nothing when the actor is not of the side,
    though the actor has units (and, without ``side``, they would be counted)."""
    spec = default_game().spec
    for board, units in unit_boards():
        assert unit_tally(spec, cond)(board, ctx) == (0, 0)
        assert compile_condition(spec, dataclasses.replace(cond, compare=Compare("eq", 0)))(
            board, ctx
        )
        assert not compile_condition(spec, dataclasses.replace(cond, compare=Compare("gt", 0)))(
            board, ctx
        )
        without_side = dataclasses.replace(cond, side="")
        assert unit_tally(spec, without_side)(board, ctx) == brute_tally(
            spec, units, without_side, ctx
        )
        assert brute_tally(spec, units, without_side, ctx)[0] > 0


@pytest.mark.parametrize("target", ["baltic_states", "europe", "nato", "", "nowhere"])
@pytest.mark.parametrize("side", ["", "blue", "red"])
def test_a_target_that_is_not_an_actor_owns_nothing(target: str, side: str) -> None:
    """``actor: $target`` with a target that is an area, a theater, a coalition, nothing
    or no known id counts no units (with or without a side or an area)."""
    spec = default_game().spec
    ctx = Context(actor="poland", target=target, theater="europe")
    for board, _ in unit_boards():
        for cond in (
            UnitsIn(Compare("ge", 1), actor="$target", side=side),
            UnitsIn(Compare("ge", 1), "strength", actor="$target", side=side, area="poland"),
            UnitsIn(Compare("ge", 1), actor="$target", side=side, theater="$theater"),
        ):
            assert unit_tally(spec, cond)(board, ctx) == (0, 0)
            assert not compile_condition(spec, cond)(board, ctx)
    # The same conditions do count the units of a target that is an actor.
    (board, units), _ = unit_boards()
    owned = UnitsIn(Compare("ge", 1), actor="$target")
    assert (
        unit_tally(spec, owned)(board, Context(actor="us", target="poland"))[0]
        == len([u for u in units if u.owner == "poland"])
        > 0
    )


# ----------------------------------------------------------------------------- 4. revision


def test_revision_counts_every_recorded_change(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """Each change that records an event adds one to ``revision``; a change that changes
    nothing records nothing and leaves it."""
    board = Board(tutorial_spec, tutorial_state)
    assert board.revision == 0
    changes: list[Callable[[Board], object]] = [
        lambda b: b.set_track("tension", "europe", 35, "t"),
        lambda b: b.adjust_track("tension", "europe", -5, "t"),
        lambda b: b.set_flag("alarm", True, "t"),
        lambda b: b.adjust_budget("poland", -1, "t"),
        lambda b: b.set_control("belarus", "poland", "t"),
        lambda b: b.add_unit("infantry_brigade", "us", "conus", 3.0, "t"),
        lambda b: b.move_unit("us-2cr", ("germany", "poland"), "t"),
        lambda b: b.relocate_unit("us-31fw", "conus", "t"),
        lambda b: b.damage_unit("pl-12mech", 1.0, "t"),
        lambda b: b.remove_unit("pl-15mech", "t"),
        lambda b: b.message("us", "hello", "t"),
        lambda b: b.set_rung("europe", 3, "t"),
        lambda b: b.raise_event("alarm_raised", "t"),
    ]
    for step, change in enumerate(changes, start=1):
        change(board)
        assert board.revision == step == len(board.events)
    nothing: list[Callable[[Board], object]] = [
        lambda b: b.set_track("tension", "europe", 30, "t"),  # where it is
        lambda b: b.set_flag("alarm", True, "t"),
        lambda b: b.adjust_budget("poland", 0, "t"),
        lambda b: b.set_control("belarus", "poland", "t"),
        lambda b: b.relocate_unit("us-31fw", "conus", "t"),
        lambda b: b.damage_unit("pl-12mech", 0.0, "t"),
        lambda b: b.set_rung("europe", 3, "t"),
    ]
    for change in nothing:
        change(board)
        assert board.revision == len(changes) == len(board.events)


def test_a_precondition_is_evaluated_again_after_the_board_changes(
    tutorial_rules: Rules, tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """The checker keeps a precondition's value only while the board does not change: a
    track or a unit that changes turns the same question's answer round."""
    board = Board(tutorial_spec, tutorial_state)
    checker = OrderChecker(tutorial_rules, board)
    sanctions = TakeAction("us", "sanctions", "russia")
    refused = checker.check(sanctions)
    assert (refused.code, refused.reason) == (
        OrderCode.PRECONDITION,
        "'sanctions' requires tension[europe] >= 30",
    )
    assert not checker.would_accept(sanctions)
    board.set_track("tension", "europe", 30, "test")
    assert checker.would_accept(sanctions)
    board.set_track("tension", "europe", 29, "test")
    assert not checker.would_accept(sanctions)
    board.set_track("tension", "europe", 30, "test")
    assert checker.check(sanctions).ok

    deploy = TakeAction("us", "forward_deploy", "germany")
    assert checker.would_accept(deploy)
    board.remove_unit("us-1abct", "test")
    assert checker.would_accept(deploy)  # one armored brigade is left in conus
    board.remove_unit("us-3abct", "test")
    refused = checker.check(deploy)
    assert (refused.code, refused.reason) == (
        OrderCode.PRECONDITION,
        "'forward_deploy' requires blue controls germany and count of us armored_brigade "
        "units in conus >= 1",
    )
    board.add_unit("armored_brigade", "us", "conus", 4.0, "test")
    assert checker.check(deploy).ok


def _with_moment_actions(spec: GameSpec) -> GameSpec:
    """The tutorial with three more actions open to the leader and the ally: one whose
    precondition draws a chance, one that looks (deep inside) at what happened, one that
    depends on the state alone."""
    exercise = spec.action_by_id["exercise"]
    gamble = dataclasses.replace(exercise, id="gamble", requires=Chance(0.5))
    rumour = dataclasses.replace(
        exercise,
        id="rumour",
        requires=All(
            (
                TrackIs("tension", "europe", Compare("ge", 0)),
                Not(Not(Happened("unit_moved", (("owner", "$self"),)))),
            )
        ),
    )
    steady = dataclasses.replace(
        exercise,
        id="steady",
        requires=Any_(
            (
                TrackIs("tension", "europe", Compare("ge", 90)),
                UnitsIn(Compare("ge", 1), actor="$self", area="conus"),
            )
        ),
    )
    return dataclasses.replace(spec, actions=(*spec.actions, gamble, rumour, steady))


def test_chance_and_happened_preconditions_are_not_kept(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    """A precondition that draws a chance or looks at what happened depends on the moment,
    so it is not among the steady requirements and is evaluated each time it is asked,
    though the board's revision does not change."""
    spec = _with_moment_actions(tutorial_spec)
    rules = Rules(spec)
    for action in spec.actions:
        assert (action.id in rules.steady_requirements) is not depends_on_moment(action.requires)
    assert {"gamble", "rumour"}.isdisjoint(rules.steady_requirements)
    assert {"steady", "sanctions", "forward_deploy", "exercise"} <= rules.steady_requirements
    assert not depends_on_moment(ALWAYS)
    assert depends_on_moment(Any_((TrackIs("t", "", Compare("ge", 0)), Chance(0.1))))
    assert depends_on_moment(rules.spec.action_by_id["rumour"].requires)
    assert not depends_on_moment(rules.spec.action_by_id["steady"].requires)

    board = Board(spec, tutorial_state)
    checker = OrderChecker(rules, board)
    gamble = TakeAction("poland", "gamble")
    draws: list[bool] = []
    for _ in range(40):
        before = board.rng.state
        draws.append(checker.would_accept(gamble))
        assert board.rng.state != before  # drawn again, not remembered
    assert set(draws) == {True, False}
    assert board.revision == 0

    rumour = TakeAction("us", "rumour")
    refused = checker.check(rumour)
    assert (refused.code, refused.reason) == (
        OrderCode.PRECONDITION,
        "'rumour' requires tension[europe] >= 0 and not (not (unit moved this turn (owner=us)))",
    )
    # What happened is set as the doctrine bot sets it: no change is recorded.
    board.events = [UnitMoved(1, "orders", "test", "us-2cr", "us", ("germany", "poland"))]
    assert checker.would_accept(rumour)
    board.events = [UnitMoved(1, "orders", "test", "pl-12mech", "poland", ("poland", "baltics"))]
    assert not checker.would_accept(rumour)
    assert checker.would_accept(TakeAction("poland", "rumour"))
    assert board.revision == 0

    steady = TakeAction("us", "steady")
    assert checker.would_accept(steady)
    assert not checker.would_accept(TakeAction("poland", "steady"))


# ----------------------------------------------------------------------------- 5. precedence


@dataclasses.dataclass(frozen=True)
class Precedence:
    """An action order that breaks several rules, and the one it is rejected for."""

    id: str
    order: str
    code: OrderCode
    reason: str
    before: tuple[str, ...] = ()
    budgets: Mapping[str, float] = dataclasses.field(default_factory=dict)


PRECEDENCE = [
    Precedence(
        "unknown_action_first",
        "poland: act nuke russia",
        OrderCode.UNKNOWN_ACTION,
        "there is no action 'nuke'",
        before=("poland: act raise_readiness",),
        budgets={"poland": 1.0},
    ),
    Precedence(
        "role_before_target_and_budget",
        "poland: act snap_exercise russia",
        OrderCode.NOT_PERMITTED,
        "'snap_exercise' is not open to a european_ally such as poland",
        budgets={"poland": 0.0},
    ),
    Precedence(
        "role_before_joint_membership",
        "russia: act joint_statement nato",
        OrderCode.NOT_PERMITTED,
        "'joint_statement' is not open to a revisionist_power such as russia",
    ),
    Precedence(
        "ordered_before_bad_target",
        "poland: act raise_readiness russia",
        OrderCode.ALREADY_ORDERED,
        "'raise_readiness' can be taken once a turn",
        before=("poland: act raise_readiness",),
    ),
    Precedence(
        "ordered_before_joint_membership",
        "japan: act joint_statement nato",
        OrderCode.ALREADY_ORDERED,
        "'joint_statement' can be taken once a turn",
        before=("japan: act joint_statement us_japan_rok",),
    ),
    Precedence(
        "bad_target_before_budget",
        "poland: act sanctions baltic_states",
        OrderCode.BAD_TARGET,
        "'baltic_states' is not an actor",
        budgets={"poland": 0.0},
    ),
    Precedence(
        "joint_target_not_a_coalition",
        "poland: act joint_statement russia",
        OrderCode.BAD_TARGET,
        "'russia' is not a coalition",
        budgets={"poland": 0.0},
    ),
    Precedence(
        "joint_target_unknown",
        "ukraine: act joint_exercise nowhere",
        OrderCode.BAD_TARGET,
        "'nowhere' is not a coalition",
    ),
    Precedence(
        "joint_target_missing",
        "poland: act joint_statement",
        OrderCode.BAD_TARGET,
        "'joint_statement' needs a target coalition",
    ),
    Precedence(
        "joint_target_a_red_line",
        "us: act summit taiwan_explicit",
        OrderCode.BAD_TARGET,
        "'taiwan_explicit' is not a coalition",
    ),
    Precedence(
        "non_member_before_budget",
        "japan: act joint_statement nato",
        OrderCode.NOT_PERMITTED,
        "japan is not a member of nato",
        budgets={"japan": 0.0},
    ),
    Precedence(
        "non_member_before_precondition",
        "japan: act diplomatic_expulsions nato",
        OrderCode.NOT_PERMITTED,
        "japan is not a member of nato",
    ),
    Precedence(
        "partner_in_no_coalition",
        "ukraine: act joint_exercise nato",
        OrderCode.NOT_PERMITTED,
        "ukraine is not a member of nato",
    ),
    Precedence(
        "budget_before_precondition",
        "poland: act sanctions uk",
        OrderCode.NO_BUDGET,
        "'sanctions' costs 1; poland has 0.5 left",
        budgets={"poland": 0.5},
    ),
    Precedence(
        "budget_less_what_was_spent",
        "poland: act sanctions russia",
        OrderCode.NO_BUDGET,
        "'sanctions' costs 1; poland has 0.5 left",
        before=("poland: act raise_readiness",),
    ),
    Precedence(
        "joint_cost_with_coordination",
        "poland: act joint_exercise nato",
        OrderCode.NO_BUDGET,
        "'joint_exercise' costs 2.67333; poland has 1.5 left",
    ),
    Precedence(
        "precondition_last",
        "poland: act sanctions uk",
        OrderCode.PRECONDITION,
        "'sanctions' requires count of uk red units in anywhere >= 1",
    ),
    Precedence(
        "joint_precondition_last",
        "poland: act diplomatic_expulsions nato",
        OrderCode.PRECONDITION,
        "'diplomatic_expulsions' requires (flag russian_poisoning set or flag "
        "hostile_cyber_activity set)",
    ),
]


@pytest.mark.parametrize("case", PRECEDENCE, ids=[c.id for c in PRECEDENCE])
def test_rejections_keep_their_order_of_precedence(case: Precedence) -> None:
    """An order that breaks several rules is rejected for the first in the order unknown
    action, role, already ordered, target (and coalition membership), budget,
    precondition; asking again, or with rules that have worked nothing out yet, gives the
    same code and reason."""
    spec = default_game().spec
    state = place(spec, default_state(), budgets=case.budgets)
    checker = OrderChecker(default_rules(), Board(spec, state))
    for text in case.before:
        assert checker.check(parse_order(text)).ok, text
    order = parse_order(case.order)
    verdict = checker.check(order)
    assert (verdict.code, verdict.reason) == (case.code, case.reason)
    assert checker.check(order) == verdict
    assert not checker.would_accept(order)
    fresh = check_orders(Rules(spec), state, [*map(parse_order, case.before), order])
    assert fresh[-1] == verdict


def test_every_question_gets_the_same_answer_each_time() -> None:
    """Every actor asking about every action (and an unknown one) with a spread of targets
    (right and wrong kinds, unknown ids) gets one verdict however often it asks, from a
    checker that keeps its answers, from new checkers, and from rules that have worked
    nothing out yet; no question raises."""
    spec = default_game().spec
    state = place(spec, default_state(), budgets={"poland": 0.6, "japan": 0.0})
    targets = (
        "",
        "us",
        "poland",
        "russia",
        "baltic_states",
        "europe",
        "nato",
        "us_japan_rok",
        "taiwan_explicit",
        "nowhere",
    )
    actions = [*(a.id for a in spec.actions), "nuke"]
    warm_rules, cold_rules = default_rules(), Rules(spec)
    board, cold_board = Board(spec, state), Board(spec, state)
    keeper = OrderChecker(warm_rules, board)  # asked again and again, never given an order
    codes: set[OrderCode] = set()
    for actor in spec.actors:
        for action in actions:
            for target in targets:
                order = TakeAction(actor.id, action, target)
                first = OrderChecker(warm_rules, board).check(order)
                assert keeper.would_accept(order) is first.ok
                assert keeper.would_accept(order) is first.ok
                assert OrderChecker(warm_rules, board).check(order) == first
                assert OrderChecker(cold_rules, cold_board).check(order) == first
                codes.add(first.code)
    assert keeper.ordered_actions == set() and keeper.spent == {}
    assert codes == {
        OrderCode.OK,
        OrderCode.UNKNOWN_ACTION,
        OrderCode.NOT_PERMITTED,
        OrderCode.BAD_TARGET,
        OrderCode.NO_BUDGET,
        OrderCode.PRECONDITION,
    }


# ----------------------------------------------------------------------------- 6. digests


def test_turn_digests_are_the_states_and_a_replay_reaches_them() -> None:
    """Each turn record's digest, worked out when first asked for, is its state's digest;
    replaying the recorded orders from the initial state reaches the same states, events
    and digests."""
    game = default_game()
    rules = default_rules()
    assert game.doctrine is not None
    record = play_game(
        rules, make_bots(rules, game.doctrine, difficulty="easy"), seed=11, max_turns=6
    )
    assert len(record.turns) == 6
    assert sum(len(turn.orders) for turn in record.turns) > 0
    for turn in record.turns:
        assert "digest" not in vars(turn)
        assert turn.digest == turn.state.digest()
        assert "digest" in vars(turn)
        assert turn.digest is turn.digest
    assert len({turn.digest for turn in record.turns}) == len(record.turns)

    state = initial_state(game.spec, record.seed)
    for turn in record.turns:
        assert state.turn == turn.turn
        replayed = resolve_turn(rules, state, turn.orders)
        assert replayed.state.digest() == turn.digest
        assert replayed.events == turn.events
        assert replayed.results == turn.results
        state = replayed.state
    assert state == record.final
