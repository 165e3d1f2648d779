"""Playing a turn in the map view: clicks become checked orders, and only orders leave it.

The default scenario's turn-1 screen for the United States, at the default size, off
screen.  Clicks go through :meth:`ViewApp.handle` at the places the frame drew (a stack's
rectangle, or a point of an area that no stack covers), widgets are pressed by clicking
them, so every event takes the route a person's does.  The orders and highlights are
compared with :class:`~engine.play.draft.OrderDraft` and the game loop, what is drawn with
:func:`~engine.core.observation.observe`, and pictures with pictures of the same screen.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Iterator

import pygame
import pytest

from engine.ai.bot import Decision
from engine.core import Attack, GameState, Move, Rules, TakeAction, Unit, initial_state
from engine.core.observation import Observation, observe
from engine.core.rng import Rng
from engine.core.spec import GameSpec
from engine.play.draft import OrderDraft
from engine.play.render import short_number
from engine.runner import StopGame, play_game
from engine.view import theme
from engine.view.app import ViewApp
from engine.view.mappane import Stack
from engine.view.play import HINT, PlayController, ViewPlayer

from .support import (
    DEFAULT,
    SEED,
    Scripted,
    click_widget,
    computer_players,
    drawn_units,
    frame,
    free_point,
    has_colour,
    key,
    key_event,
    loaded,
    mouse,
    mouse_event,
    pane_of,
    pixels,
    posting_after_first_frame,
    recorded,
    reset,
    rules_of,
    stack,
    stacks,
)

US = "us"
BLUE = "blue"


@pytest.fixture(scope="module")
def spec() -> GameSpec:
    return loaded(DEFAULT).spec


@pytest.fixture(scope="module")
def rules() -> Rules:
    return rules_of(DEFAULT)


@pytest.fixture(scope="module")
def seen(spec: GameSpec) -> Observation:
    """What the United States sees at the start of turn 1."""
    return observe(spec, initial_state(spec, SEED), US)


@pytest.fixture(scope="module")
def app(spec: GameSpec) -> ViewApp:
    return ViewApp(spec)


@pytest.fixture
def turn(app: ViewApp, rules: Rules, seen: Observation) -> Iterator[PlayController]:
    """A fresh turn-1 screen of the United States, drawn once (the stacks are on screen)."""
    reset(app)
    controller = PlayController(ViewPlayer(app, US), rules, seen)
    app.attach(controller)
    frame(app)
    yield controller
    reset(app)


def draft_for(rules: Rules, seen: Observation) -> OrderDraft:
    """An untouched draft of the same turn: what the view must agree with."""
    return OrderDraft(rules, seen)


def own_units(stack_drawn: Stack) -> list[Unit]:
    return [u for u in stack_drawn.units if u.owner == US]


def strongest(units: list[Unit]) -> Unit:
    """The strongest unit, the first by id among equals."""
    return min(units, key=lambda u: (-u.strength, u.id))


def select_unit(app: ViewApp, turn: PlayController, unit: Unit) -> None:
    """Click ``unit``'s stack until it is the one selected."""
    target = stack(app, unit.area, BLUE)
    for _ in own_units(target):
        mouse(app, target.rect.center)
        if turn.selected == unit:
            return
    raise AssertionError(f"clicking the stack in {unit.area} never selected {unit.id}")


def unit(seen: Observation, unit_id: str) -> Unit:
    return next(u for u in seen.state.units if u.id == unit_id)


# ---------------------------------------------------------------------- selecting


def test_clicking_a_us_stack_selects_its_strongest_us_unit_and_lights_up_where_it_may_go(
    app: ViewApp, turn: PlayController, rules: Rules, seen: Observation
) -> None:
    draft = draft_for(rules, seen)
    ours = [s for s in stacks(app) if own_units(s)]
    assert len(ours) >= 10
    clicked = 0
    for drawn in ours:
        pane = pane_of(app, drawn.area)
        if pane.stack_at(drawn.rect.center) != drawn:
            continue  # another stack is drawn over this one's centre
        mouse(app, drawn.rect.center)
        expected = strongest(own_units(drawn))
        assert turn.selected == expected, drawn.area
        assert turn.moves == frozenset(draft.destinations(expected.id)), expected.id
        assert turn.attacks == frozenset(draft.attack_targets(expected.id)), expected.id
        assert app.message == f"{expected.id} selected: click where it should go"
        scene = turn.scene()
        assert (scene.selected_unit, scene.move_targets, scene.attack_targets) == (
            expected.id,
            turn.moves,
            turn.attacks,
        )
        mouse(app, drawn.rect.center, 3)
        clicked += 1
    assert clicked >= 10
    assert turn.draft.orders == []


def test_the_highlights_are_drawn_and_the_legend_names_them(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    before = frame(app).copy()
    swatches = (theme.MOVE_HIGHLIGHT, theme.ATTACK_HIGHLIGHT)
    assert not any(has_colour(before, c, app.layout.bottom) for c in swatches)
    select_unit(app, turn, unit(seen, "us-2id-abct"))
    assert turn.moves and turn.attacks
    after = frame(app)
    assert pixels(after, app.layout.map) != pixels(before, app.layout.map)
    # the legend's swatches for "may move here" and "may attack here"
    assert all(has_colour(after, c, app.layout.bottom) for c in swatches)


def test_clicking_the_same_stack_again_cycles_through_the_us_units_in_it(
    app: ViewApp, turn: PlayController
) -> None:
    drawn = next(s for s in stacks(app) if len(own_units(s)) >= 3)
    mine = own_units(drawn)
    chosen = []
    for _ in range(len(mine) + 1):
        mouse(app, drawn.rect.center)
        assert turn.selected is not None
        chosen.append(turn.selected)
    assert chosen == [*mine, mine[0]]
    assert chosen[0] == strongest(mine)
    assert turn.draft.orders == []


def test_a_right_click_or_escape_clears_the_selection(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    picked = unit(seen, "us-2cr")
    baseline = pixels(frame(app), app.layout.map)
    select_unit(app, turn, picked)
    assert turn.moves
    mouse(app, free_point(app, "poland"), 3)  # a highlighted area: still no order
    assert (turn.selected, turn.moves, turn.attacks) == (None, frozenset(), frozenset())
    assert pixels(frame(app), app.layout.map) == baseline
    select_unit(app, turn, picked)
    key(app, pygame.K_ESCAPE)
    assert (turn.selected, turn.moves, turn.attacks) == (None, frozenset(), frozenset())
    assert turn.draft.orders == []


def test_a_hostile_stack_is_described_and_the_unit_panel_describes_the_selection(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    hostile = stack(app, "kaliningrad", "red")
    mouse(app, hostile.rect.center)
    owners = ", ".join(sorted({u.owner for u in hostile.units}))
    strength = short_number(sum(u.strength for u in hostile.units))
    assert (
        app.message == f"Kaliningrad: {len(hostile.units)} units of {owners}, strength {strength}"
    )
    assert turn.selected is None
    info = turn.widgets["info"]
    assert info.html_text == HINT  # type: ignore[attr-defined]
    select_unit(app, turn, unit(seen, "us-2cr"))
    text = info.html_text  # type: ignore[attr-defined]
    assert "<b>us-2cr</b>" in text
    assert "in Germany" in text
    assert "may move to: " + ", ".join(sorted(turn.moves)) in text


# ---------------------------------------------------------------------- ordering


def test_clicking_any_highlighted_area_orders_exactly_that_move(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    mover = unit(seen, "us-2cr")
    select_unit(app, turn, mover)
    destinations = sorted(turn.moves)
    assert "poland" in destinations
    for destination in destinations:
        select_unit(app, turn, mover)
        mouse(app, free_point(app, destination))
        assert turn.draft.orders == [Move(US, mover.id, destination)], destination
        assert turn.selected is None
        assert app.message.startswith(f"ordered: move {mover.id}: germany - "), app.message
        assert app.message.endswith(destination)
        assert not app.message_is_error
        assert turn.scene().arrows == (("germany", destination, False),)
        turn.undo()
        assert turn.draft.orders == []


def test_an_order_is_drawn_as_an_arrow_and_backspace_takes_it_back(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    baseline = pixels(frame(app), app.layout.map)
    assert pixels(frame(app), app.layout.map) == baseline  # the same state, the same picture
    select_unit(app, turn, unit(seen, "us-2cr"))
    mouse(app, free_point(app, "poland"))
    assert turn.draft.orders == [Move(US, "us-2cr", "poland")]
    with_arrow = pixels(frame(app), app.layout.map)
    assert with_arrow != baseline
    assert pixels(frame(app), app.layout.map) == with_arrow
    key(app, pygame.K_BACKSPACE)
    assert turn.draft.orders == []
    assert app.message == "dropped move us-2cr poland"
    assert pixels(frame(app), app.layout.map) == baseline
    key(app, pygame.K_BACKSPACE)
    assert app.message == "there is no order to undo this turn"


def test_backspace_drops_the_last_order_only(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    select_unit(app, turn, unit(seen, "us-2cr"))
    mouse(app, free_point(app, "poland"))
    select_unit(app, turn, unit(seen, "us-52fw"))
    mouse(app, free_point(app, "baltic_states"))
    assert turn.draft.orders == [
        Move(US, "us-2cr", "poland"),
        Move(US, "us-52fw", "baltic_states"),
    ]
    key(app, pygame.K_BACKSPACE)
    assert turn.draft.orders == [Move(US, "us-2cr", "poland")]
    assert [r.order for r in turn.draft.results] == turn.draft.orders


def test_the_remove_button_drops_the_order_picked_in_the_list(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    select_unit(app, turn, unit(seen, "us-2cr"))
    mouse(app, free_point(app, "poland"))
    select_unit(app, turn, unit(seen, "us-52fw"))
    mouse(app, free_point(app, "baltic_states"))
    orders = turn.widgets["orders"]
    rows = orders.item_list  # type: ignore[attr-defined]
    routes = [" - ".join(r.route) for r in turn.draft.results]
    assert routes[0] == "germany - poland"
    assert [r["text"] for r in rows] == [
        f"move us-2cr: {routes[0]}",
        f"move us-52fw: {routes[1]}",
    ]
    click_widget(app, rows[0]["button_element"])
    click_widget(app, turn.widgets["remove"])
    assert turn.draft.orders == [Move(US, "us-52fw", "baltic_states")]
    assert app.message == "dropped move us-2cr poland"
    assert [r["text"] for r in orders.item_list] == [  # type: ignore[attr-defined]
        f"move us-52fw: {routes[1]}"
    ]
    click_widget(app, turn.widgets["remove"])  # nothing picked: the last order goes
    assert turn.draft.orders == []


def test_an_area_out_of_reach_is_refused_and_the_refusal_is_shown_there(
    app: ViewApp, turn: PlayController, rules: Rules, seen: Observation
) -> None:
    mover = unit(seen, "us-2cr")
    select_unit(app, turn, mover)
    ours = {u.area for u in seen.state.units if u.owner == US}
    beyond = next(
        a.id
        for a in app.spec.areas
        if a.theater == "asia" and a.id not in turn.moves | turn.attacks | ours
    )
    expected = draft_for(rules, seen).add(Move(US, mover.id, beyond))
    assert not expected.ok
    before = pixels(frame(app), app.layout.map)
    mouse(app, free_point(app, beyond))
    assert turn.draft.orders == []
    assert app.message == f"refused ({expected.code.value}): {expected.reason}"
    assert app.message_is_error
    assert turn.notes == {beyond: f"refused: {expected.reason}"}
    assert turn.scene().notes == turn.notes
    assert turn.selected == mover  # the player may click again
    assert pixels(frame(app), app.layout.map) != before


def test_a_hostile_area_the_unit_may_strike_is_attacked(
    app: ViewApp, turn: PlayController, rules: Rules, seen: Observation
) -> None:
    striker = unit(seen, "us-2id-abct")
    select_unit(app, turn, striker)
    assert turn.attacks == frozenset(draft_for(rules, seen).attack_targets(striker.id))
    assert "north_korea" in turn.attacks
    mouse(app, free_point(app, "north_korea"))
    assert turn.draft.orders == [Attack(US, "north_korea", (striker.id,))]
    assert app.message == f"ordered: attack north_korea with {striker.id}"
    assert turn.scene().arrows == (("south_korea", "north_korea", True),)


def test_an_action_picked_from_the_list_is_given_and_the_budget_drops(
    app: ViewApp, turn: PlayController, rules: Rules, seen: Observation
) -> None:
    choices = draft_for(rules, seen).choices
    assert turn.draft.choices == choices
    give = turn.widgets["give"]
    click_widget(app, give)
    assert app.message == "pick an action in the list first"
    assert app.message_is_error
    assert turn.draft.orders == []
    headline = turn.headline()
    assert headline.endswith("budget 40 of 40")
    actions = turn.widgets["actions"]
    row = actions.item_list[2]  # type: ignore[attr-defined]
    assert row["text"].endswith(f"{choices[2].target}")
    click_widget(app, row["button_element"])
    assert actions.get_single_selection(include_object_id=True) == (  # type: ignore[attr-defined]
        row["text"],
        "2",
    )
    click_widget(app, give)
    chosen = choices[2]
    assert isinstance(chosen, TakeAction)
    assert turn.draft.orders == [chosen]
    cost = turn.draft.cost(chosen)
    assert cost > 0
    assert turn.draft.left == 40 - cost
    assert turn.headline() == headline.replace("budget 40 of 40", f"budget {40 - cost:g} of 40")
    orders = turn.widgets["orders"]
    assert [i["text"] for i in orders.item_list] == [row["text"]]  # type: ignore[attr-defined]


def test_enter_or_the_end_button_ends_the_turn(app: ViewApp, turn: PlayController) -> None:
    assert (turn.done, turn.quit) == (False, False)
    key(app, pygame.K_RETURN)
    assert (turn.done, turn.quit) == (True, False)
    turn.done = False
    key(app, pygame.K_KP_ENTER)
    assert (turn.done, turn.quit) == (True, False)
    turn.done = False
    click_widget(app, turn.widgets["end"])
    assert (turn.done, turn.quit) == (True, False)


# ---------------------------------------------------------------------- bugs


def displaced_target(
    app: ViewApp, turn: PlayController, seen: Observation
) -> tuple[Unit, Stack] | None:
    """A US unit and a stack that is a target of it but is drawn (pushed aside by other
    stacks) over a neighbouring area."""
    for drawn in stacks(app):
        over = pane_of(app, drawn.area).area_at(drawn.rect.center)
        if over is None or over == drawn.area:
            continue
        for candidate in seen.state.units:
            if candidate.owner != US or candidate.area == drawn.area:
                continue
            reach = turn.draft.destinations(candidate.id).keys() | set(
                turn.draft.attack_targets(candidate.id)
            )
            if drawn.area in reach:
                return candidate, drawn
    return None


def test_clicking_a_stack_drawn_away_from_its_area_orders_to_its_area(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    found = displaced_target(app, turn, seen)
    if found is None:
        pytest.skip("no target stack is drawn over another area at this size")
    mover, target = found
    select_unit(app, turn, mover)
    mouse(app, target.rect.center)
    given = turn.draft.orders
    assert len(given) == 1, app.message
    order = given[0]
    assert isinstance(order, Move | Attack)
    where = order.destination if isinstance(order, Move) else order.target
    assert where == target.area, f"{order.text()} for a click on the stack in {target.area}"


def test_rolling_the_mouse_wheel_over_the_map_gives_no_order(
    app: ViewApp, turn: PlayController, seen: Observation
) -> None:
    select_unit(app, turn, unit(seen, "us-2cr"))
    mouse(app, free_point(app, "poland"), 5)
    mouse(app, stack(app, "uk", BLUE).rect.center, 4)
    assert turn.draft.orders == []
    assert turn.selected == unit(seen, "us-2cr")


# ---------------------------------------------------------------------- only orders leave


def move_2cr_to_poland_and_end(shown: ViewApp) -> list[pygame.event.Event]:
    """A click on the US stack in Germany (us-2cr, its strongest US unit), one on Poland,
    then Enter."""
    return [
        mouse_event(stack(shown, "germany", BLUE).rect.center),
        mouse_event(free_point(shown, "poland")),
        key_event(pygame.K_RETURN),
    ]


def test_decide_returns_exactly_the_orders_clicked_and_leaves_the_observation_alone(
    app: ViewApp, rules: Rules, seen: Observation
) -> None:
    reset(app)
    before = copy.deepcopy(seen.state)
    digest = seen.state.digest()
    player = ViewPlayer(app, US)
    with posting_after_first_frame(app, move_2cr_to_poland_and_end):
        decision = player.decide(seen, rules, Rng.from_seed(1))
    assert decision == Decision((Move(US, "us-2cr", "poland"),))
    assert seen.state == before
    assert seen.state.digest() == digest
    reset(app)


def test_a_turn_played_in_the_view_is_the_turn_its_orders_play(
    app: ViewApp, rules: Rules, spec: GameSpec
) -> None:
    reset(app)
    player = ViewPlayer(app, US)
    with posting_after_first_frame(app, move_2cr_to_poland_and_end):
        viewed = play_game(
            rules,
            {**computer_players(DEFAULT), US: player},
            seed=SEED,
            max_turns=1,
            on_turn=player.note_turn,
        )
    ordered = (Move(US, "us-2cr", "poland"),)
    scripted = play_game(
        rules,
        {**computer_players(DEFAULT), US: Scripted(ordered)},
        seed=SEED,
        max_turns=1,
    )
    assert len(viewed.turns) == len(scripted.turns) == 1
    played = viewed.turns[0]
    assert tuple(o for o in played.orders if o.actor == US) == ordered
    assert played.orders == scripted.turns[0].orders
    assert played.digest == scripted.turns[0].digest == scripted.final.digest()
    assert viewed.final == scripted.final
    assert player.last_record == played
    untouched = play_game(rules, computer_players(DEFAULT), seed=SEED, max_turns=1)
    assert untouched.turns[0].digest != played.digest  # the orders did change the game
    reset(app)


def test_closing_the_window_stops_the_game(app: ViewApp, rules: Rules, seen: Observation) -> None:
    reset(app)
    player = ViewPlayer(app, US)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    with pytest.raises(StopGame) as stopped:
        player.decide(seen, rules, Rng.from_seed(1))
    assert stopped.value.reason == "quit"
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    record = play_game(rules, {**computer_players(DEFAULT), US: player}, seed=SEED)
    assert record.stopped == "quit"
    assert record.turns == ()
    reset(app)


# ---------------------------------------------------------------------- fog


@pytest.mark.parametrize("number", [1, 12])
def test_only_what_the_us_sees_is_drawn(
    app: ViewApp, rules: Rules, spec: GameSpec, number: int
) -> None:
    game = recorded()
    state: GameState = game.states[number]
    last = game.record.turns[number - 2].events if number > 1 else ()
    previous = game.states.get(number - 1)
    belief = observe(spec, state, US, last, previous)
    reset(app)
    app.attach(PlayController(ViewPlayer(app, US), rules, belief))
    frame(app)
    drawn = drawn_units(app)
    believed = {u.id: u for u in belief.state.units}
    assert drawn == believed  # every pane together covers every area
    hidden = {u.id for u in state.units} - believed.keys()
    assert hidden, "fog hides no unit here: the test proves nothing"
    assert not hidden & drawn.keys()
    for drawn_stack in stacks(app):
        assert {spec.actor_by_id[u.owner].side for u in drawn_stack.units} == {drawn_stack.side}
    reset(app)


# ---------------------------------------------------------------------- events


def test_the_events_tab_shows_what_the_allies_computer_players_said_and_no_one_else(
    app: ViewApp, rules: Rules, spec: GameSpec
) -> None:
    game = recorded()
    record = game.record.turns[0]
    player = ViewPlayer(app, US)
    player.note_turn(record, game.states[2])
    seen = observe(spec, game.states[2], US, record.events, game.states[1])
    reset(app)
    controller = PlayController(player, rules, seen)
    app.attach(controller)
    click_widget(app, app.tab_buttons["events"])
    assert app.tab == "events"
    frame(app)
    assert app.events_box is not None
    text = app.events_box.html_text
    allies = [
        (who, why)
        for who, why in record.reasons
        if who != US and spec.actor_by_id[who].side == BLUE
    ]
    others = [(who, why) for who, why in record.reasons if (who, why) not in allies]
    assert allies and any(spec.actor_by_id[who].side != BLUE for who, _ in others)
    assert "<b>Your allies&#x27; computer players said</b>" in text
    for who, why in allies:
        assert f"<i>{html.escape(f'{who}: {why}')}</i>" in text
    for who, _why in others:
        assert f"<i>{who}: " not in text
    assert text.count("<i>") == len(allies)
    assert seen.events
    for event in seen.events:
        assert html.escape(event.describe()) in text
    assert not controller.widgets["actions"].visible
    reset(app)
