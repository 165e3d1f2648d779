"""Replaying a save in the map view: the turns it draws, fog by side, and stepping through.

One game of the default scenario, played by the computer players and recorded once per
process (``support.recorded``), is stepped through in a :class:`ViewApp` built once for the
module.  What is drawn is compared with the states the game loop produced while it was
played, and with what :func:`~engine.core.observation.observe` lets a side see.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pygame
import pygame_gui
import pytest

from engine.core import GameSpec
from engine.saves import Note, Replay, SavedGame, read_save, write_save
from engine.saves.redact import side_turn
from engine.view import theme
from engine.view.app import ViewApp
from engine.view.replay import SECONDS_PER_TURN, ReplayController

from .support import (
    MANY_COLOURS,
    SIZE,
    Recorded,
    click_widget,
    drawn_units,
    frame,
    free_point,
    has_colour,
    key,
    mouse,
    pixels,
    png_colours,
    recorded,
    reset,
    stacks,
)

US = "us"


@pytest.fixture(scope="module")
def game() -> Recorded:
    return recorded()


@pytest.fixture(scope="module")
def spec(replay: Replay) -> GameSpec:
    return replay.spec


@pytest.fixture(scope="module")
def app(spec: GameSpec) -> ViewApp:
    return ViewApp(spec)


@pytest.fixture(scope="module")
def replay(game: Recorded, tmp_path_factory: pytest.TempPathFactory) -> Replay:
    """A replay of (a copy of) the recorded game, shared by the tests that only read it
    (the bookmark test writes a save of its own)."""
    return game.replay(tmp_path_factory.mktemp("replay") / "game.json")


@pytest.fixture
def control(app: ViewApp, replay: Replay) -> Iterator[ReplayController]:
    """The control view of the replay at turn 1, drawn once."""
    reset(app)
    controller = ReplayController(app, replay)
    app.attach(controller)
    frame(app)
    yield controller
    reset(app)


def moved_between(game: Recorded) -> int:
    """A turn after which some unit stands elsewhere than after the turn before."""
    for turn in range(1, game.last_turn):
        before = {(u.id, u.area) for u in game.states[turn + 1].units}
        after = {(u.id, u.area) for u in game.states[turn + 2].units}
        if before != after:
            return turn
    raise AssertionError("no unit ever moved in the recorded game")


def headline_turn(controller: ReplayController) -> str:
    return f"turn {controller.turn} of {controller.last}"


# ---------------------------------------------------------------------- drawing


def test_the_recorded_game_is_long_enough(game: Recorded) -> None:
    assert game.last_turn == 24
    assert moved_between(game) < game.last_turn


@pytest.mark.parametrize("which", ["first", "fifth", "last"])
def test_the_control_view_of_a_turn_is_drawn_whole_with_every_unit(
    app: ViewApp, replay: Replay, game: Recorded, tmp_path: Path, which: str
) -> None:
    turn = {"first": 1, "fifth": 5, "last": game.last_turn}[which]
    reset(app)
    controller = ReplayController(app, replay, turn=turn)
    app.attach(controller)
    path = app.screenshot(tmp_path / f"turn-{turn}.png")
    size, count = png_colours(path)
    assert size == SIZE
    assert count > MANY_COLOURS
    # the state after the turn, as the game loop had it, every unit of it on the map
    state = game.states[turn + 1]
    assert controller.state() == state
    assert drawn_units(app) == {u.id: u for u in state.units}
    assert f"Replay · turn {turn} of {game.last_turn} · " in controller.headline()
    assert controller.headline().endswith(" · control view · paused")
    reset(app)


def test_the_picture_changes_with_the_state_and_only_with_it(
    app: ViewApp, control: ReplayController, game: Recorded
) -> None:
    turn = moved_between(game)
    control.go(turn)
    shown = pixels(frame(app), app.layout.map)
    assert pixels(frame(app), app.layout.map) == shown
    key(app, pygame.K_RIGHT)
    assert control.turn == turn + 1
    later = pixels(frame(app), app.layout.map)
    assert later != shown
    key(app, pygame.K_LEFT)
    assert pixels(frame(app), app.layout.map) == shown


# ---------------------------------------------------------------------- fog


@pytest.mark.parametrize("turn", [1, 5, 24])
def test_seen_as_the_us_only_what_the_us_saw_is_drawn(
    app: ViewApp, replay: Replay, game: Recorded, spec: GameSpec, turn: int
) -> None:
    reset(app)
    controller = ReplayController(app, replay, side=US, turn=turn)
    app.attach(controller)
    frame(app)
    seen = side_turn(replay, US, turn)
    believed = {u.id: u for u in seen.state.units}
    drawn = drawn_units(app)
    assert drawn == believed
    hidden = {u.id for u in game.states[turn + 1].units} - believed.keys()
    assert hidden, "fog hides no unit here: the test proves nothing"
    assert not hidden & drawn.keys()
    assert controller.headline().endswith(" · as United States · paused")
    # the events tab: what the US saw, and its own computer player's reasons only
    text = controller.events_html()
    assert f"<b>Turn {turn}: what us saw</b>" in text
    assert seen.reasons == tuple(w for a, w in game.saved.turn(turn).reasons if a == US)
    for why in seen.reasons:
        assert f"<i>{html.escape(f'{US}: {why}')}</i>" in text
    assert text.count("<i>") == len(seen.reasons)
    for event in seen.events:
        assert html.escape(event.describe()) in text
    reset(app)


def test_the_control_view_shows_every_actors_orders_and_reasons(
    control: ReplayController, game: Recorded
) -> None:
    text = control.events_html()
    saved = game.saved.turn(1)
    assert "<b>Turn 1: orders</b>" in text
    for order in saved.orders:
        assert html.escape(f"{order.actor}: {order.text()}") in text
    for who, why in saved.reasons:
        assert html.escape(f"{who}: {why}") in text


def test_a_click_names_the_stack_or_the_area_and_changes_nothing(
    app: ViewApp, control: ReplayController, game: Recorded
) -> None:
    drawn = max(stacks(app), key=lambda s: len(s.units))
    mouse(app, drawn.rect.center)
    shown = ", ".join(u.id for u in drawn.units[:6])
    more = f" and {len(drawn.units) - 6} more" if len(drawn.units) > 6 else ""
    strength = sum(u.strength for u in drawn.units)
    assert app.message.endswith(f": {shown}{more} (strength {strength:g})")
    mouse(app, free_point(app, "poland"))
    assert app.message == control.spec.area_by_id["poland"].name
    assert control.turn == 1
    assert control.state() == game.states[2]


# ---------------------------------------------------------------------- stepping


def test_arrow_keys_home_and_end_move_the_turn(
    app: ViewApp, control: ReplayController, game: Recorded
) -> None:
    last = game.last_turn
    timeline = control.widgets["timeline"]
    assert isinstance(timeline, pygame_gui.elements.UIHorizontalSlider)
    visited = [control.turn]
    for which in [pygame.K_LEFT, pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_END, pygame.K_RIGHT]:
        key(app, which)
        visited.append(control.turn)
        assert int(timeline.get_current_value()) == control.turn
        assert headline_turn(control) in control.headline()
    assert visited == [1, 1, 2, 3, last, last]
    key(app, pygame.K_LEFT)
    assert control.turn == last - 1
    key(app, pygame.K_HOME)
    assert control.turn == 1
    assert int(timeline.get_current_value()) == 1


def test_the_prev_and_next_buttons_move_the_turn(app: ViewApp, control: ReplayController) -> None:
    click_widget(app, control.widgets["next"])
    click_widget(app, control.widgets["next"])
    assert control.turn == 3
    click_widget(app, control.widgets["prev"])
    assert control.turn == 2
    assert headline_turn(control) in control.headline()


def test_the_timeline_moves_to_where_it_is_dragged(
    app: ViewApp, control: ReplayController, game: Recorded
) -> None:
    timeline = control.widgets["timeline"]
    for value in [7.0, 12.4, 1.0, float(game.last_turn)]:
        app.handle(
            pygame.event.Event(
                pygame_gui.UI_HORIZONTAL_SLIDER_MOVED, ui_element=timeline, value=value
            )
        )
        assert control.turn == round(value)
    assert control.turn == game.last_turn


def test_space_plays_a_turn_every_few_seconds_and_stops_at_the_last(
    app: ViewApp, control: ReplayController, game: Recorded
) -> None:
    last = game.last_turn
    key(app, pygame.K_SPACE)
    assert (control.playing, control.turn) == (True, 1)
    assert control.headline().endswith(" · playing")
    play = control.widgets["play"]
    assert isinstance(play, pygame_gui.elements.UIButton)
    assert play.text == "Pause"
    control.update(SECONDS_PER_TURN * 0.6)
    assert control.turn == 1
    control.update(SECONDS_PER_TURN * 0.6)
    assert control.turn == 2
    for _ in range(last):
        control.update(SECONDS_PER_TURN)
    assert (control.playing, control.turn) == (False, last)
    assert play.text == "Play"
    control.update(SECONDS_PER_TURN * 3)
    assert control.turn == last
    # played again from the last turn, it starts over; the Play button pauses it
    click_widget(app, play)
    assert (control.playing, control.turn) == (True, 1)
    control.update(SECONDS_PER_TURN)
    click_widget(app, play)
    assert (control.playing, control.turn) == (False, 2)
    control.update(SECONDS_PER_TURN * 2)
    assert control.turn == 2


def test_escape_closes_the_replay(app: ViewApp, control: ReplayController) -> None:
    assert control.done is False
    key(app, pygame.K_ESCAPE)
    assert control.done is True


# ---------------------------------------------------------------------- bookmarks


def test_a_bookmark_from_the_marks_tab_is_kept_in_the_save(
    app: ViewApp, game: Recorded, tmp_path: Path
) -> None:
    path = tmp_path / "game.json"
    write_save(path, game.saved)
    replay = Replay.open(path)
    kept: list[SavedGame] = []

    def keep_notes(saved: SavedGame) -> None:
        kept.append(saved)
        write_save(path, saved)

    reset(app)
    controller = ReplayController(app, replay, turn=4, keep_notes=keep_notes)
    app.attach(controller)
    click_widget(app, app.tab_buttons["marks"])
    assert app.tab == "marks"
    label = controller.widgets["label"]
    assert isinstance(label, pygame_gui.elements.UITextEntryLine)
    assert label.visible
    mark = controller.widgets["mark"]
    click_widget(app, mark)
    assert app.message == "type a label for the bookmark first"
    assert app.message_is_error
    assert kept == []
    timeline = controller.widgets["timeline"].get_abs_rect()
    ticks = pygame.Rect(timeline.x, timeline.y - 12, timeline.width, 10)
    assert not has_colour(frame(app), theme.ACCENT, ticks)
    click_widget(app, label)  # typing into the label: keys are words, not commands
    for letter in "  the crisis peaks ":
        app.handle(pygame.event.Event(pygame.TEXTINPUT, text=letter))
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_SPACE)
    assert (controller.turn, controller.playing) == (4, False)
    assert label.get_text() == "  the crisis peaks "
    click_widget(app, mark)
    assert app.message == "bookmarked turn 4: the crisis peaks"
    assert label.get_text() == ""
    assert len(kept) == 1
    assert read_save(path).bookmarks == [Note(4, "the crisis peaks")]
    reopened = Replay.open(path)
    reopened.verify()
    assert reopened.saved.bookmarks == [Note(4, "the crisis peaks")]
    marks = controller.widgets["marks"]
    assert [i["text"] for i in marks.item_list] == ["turn 4: the crisis peaks"]  # type: ignore[attr-defined]
    # the bookmark is a tick over the timeline, and picking it in the list goes there
    assert "<b>bookmark: the crisis peaks</b>" in controller.events_html()
    assert has_colour(frame(app), theme.ACCENT, ticks)
    key(app, pygame.K_END)
    assert controller.turn == game.last_turn
    click_widget(app, marks.item_list[0]["button_element"])  # type: ignore[attr-defined]
    assert controller.turn == 4
    reset(app)
