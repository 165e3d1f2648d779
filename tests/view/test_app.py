"""The window every screen shares: what it draws, its layout, and the keys it answers itself.

The default scenario's turn-1 screen of the United States, built once for the module at
the default size (1600x900) and drawn off screen.  Pictures are compared as pixels: a
screen is "drawn" when it holds thousands of colours, and the same state must give the
same picture every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from engine.core import GameSpec, Rules, initial_state
from engine.core.observation import observe
from engine.core.spec import defender_side
from engine.view.app import BOTH, Layout, ViewApp, headless
from engine.view.play import PlayController, ViewPlayer
from engine.view.situation import Viewpoint

from .support import (
    DEFAULT,
    MANY_COLOURS,
    SEED,
    SIZE,
    colours,
    frame,
    key,
    loaded,
    pixels,
    png_colours,
    reset,
    rules_of,
)

US = "us"


@pytest.fixture(scope="module")
def spec() -> GameSpec:
    return loaded(DEFAULT).spec


@pytest.fixture(scope="module")
def app(spec: GameSpec) -> Iterator[ViewApp]:
    """The turn-1 screen of the United States, attached once for the module."""
    made = ViewApp(spec)
    seen = observe(spec, initial_state(spec, SEED), US)
    made.attach(PlayController(ViewPlayer(made, US), rules_of(DEFAULT), seen))
    yield made


@pytest.fixture(autouse=True)
def fresh(app: ViewApp) -> Iterator[None]:
    """Every test starts, and leaves the app, at both theaters and the default size."""
    reset(app)
    app.select_tab("orders")
    yield
    reset(app)


# ---------------------------------------------------------------------- drawing


def test_the_turn_screen_is_drawn_whole_and_saved_as_a_png(app: ViewApp, tmp_path: Path) -> None:
    path = app.screenshot(tmp_path / "turn-1.png")
    assert path == tmp_path / "turn-1.png"
    size, count = png_colours(path)
    assert size == SIZE
    assert count > MANY_COLOURS
    window = app.window
    assert colours(window, app.layout.map) > MANY_COLOURS  # the base maps and the counters
    assert colours(window, app.layout.top) > 10  # the headline
    assert colours(window, app.layout.body) > 10  # the orders widgets
    assert len(app.panes) == 2
    for pane in app.panes:
        assert colours(window, pane.rect) > MANY_COLOURS // 2, pane.theater


def test_the_same_state_draws_the_same_picture(app: ViewApp) -> None:
    first = pixels(frame(app))
    second = pixels(frame(app))
    assert first == second
    app.select_tab("situation")
    situation = pixels(frame(app))
    assert situation != first
    app.select_tab("orders")
    assert pixels(frame(app)) == first


def test_the_layout_fills_the_window_without_overlaps() -> None:
    for size in [(1600, 900), (1280, 720), (960, 600), (2560, 1440)]:
        layout = Layout(size)
        window = pygame.Rect((0, 0), size)
        parts = [layout.top, layout.map, layout.bottom, layout.sidebar]
        assert all(window.contains(p) for p in parts), size
        assert sum(p.width * p.height for p in parts) == size[0] * size[1], size
        assert layout.map.collidelist([layout.top, layout.bottom, layout.sidebar]) == -1
        assert layout.sidebar.contains(layout.tabs) and layout.sidebar.contains(layout.body)
        assert layout.sidebar.width >= 320


# ---------------------------------------------------------------------- keys


def test_tab_cycles_both_theaters_then_europe_then_asia_then_both(app: ViewApp) -> None:
    shown = [[p.theater for p in app.panes]]
    for _ in range(3):
        key(app, pygame.K_TAB)
        shown.append([p.theater for p in app.panes])
    assert shown == [["europe", "asia"], ["europe"], ["asia"], ["europe", "asia"]]
    assert app.shown == BOTH
    key(app, pygame.K_TAB)
    (alone,) = app.panes
    assert alone.rect == app.layout.map  # one theater takes the whole map
    frame(app)
    assert {s.area for s in alone.stacks} <= alone.areas
    assert {app.spec.area_by_id[s.area].theater for s in alone.stacks} <= {"europe", ""}


def test_a_resized_window_is_laid_out_again_at_its_new_size(app: ViewApp) -> None:
    app.handle(pygame.event.Event(pygame.VIDEORESIZE, w=1280, h=720, size=(1280, 720)))
    assert app.window.get_size() == (1280, 720)
    assert app.layout.size == (1280, 720)
    assert app.layout.map == Layout((1280, 720)).map
    left, right = app.panes
    assert left.rect.union(right.rect).width <= app.layout.map.width
    assert app.layout.map.contains(left.rect.union(right.rect))
    assert colours(frame(app), app.layout.map) > MANY_COLOURS
    tabs = app.tab_buttons
    assert all(app.layout.tabs.contains(b.get_abs_rect()) for b in tabs.values())
    # too small a window is held at 960x600
    app.handle(pygame.event.Event(pygame.VIDEORESIZE, w=300, h=200, size=(300, 200)))
    assert app.window.get_size() == (960, 600)
    assert app.layout.size == (960, 600)
    frame(app)


def test_f12_saves_a_screenshot_in_the_screenshots_folder(
    app: ViewApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shots"
    monkeypatch.setattr(app, "screenshots", folder)
    key(app, pygame.K_F12)
    first = folder / "redline-001.png"
    assert app.message == f"screenshot saved to {first}"
    assert not app.message_is_error
    key(app, pygame.K_F12)
    assert app.message == f"screenshot saved to {folder / 'redline-002.png'}"
    assert sorted(p.name for p in folder.iterdir()) == ["redline-001.png", "redline-002.png"]
    size, count = png_colours(first)
    assert size == SIZE and count > MANY_COLOURS


def test_f11_says_when_full_screen_is_not_available(app: ViewApp) -> None:
    key(app, pygame.K_F11)  # the dummy driver refuses: the refusal is said, not raised
    assert app.message == "fullscreen is not available here (That operation is not supported)"
    assert app.message_is_error
    assert app.window.get_size() == SIZE


def test_the_window_is_headless_under_the_dummy_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("DISPLAY", ":0")
    assert headless()
    monkeypatch.delenv("SDL_VIDEODRIVER")
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert headless()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not headless()


# ---------------------------------------------------------------------- the situation tab


def test_the_situation_tab_draws_the_default_scenario(app: ViewApp, spec: GameSpec) -> None:
    orders = pixels(frame(app), app.layout.body)
    app.select_tab("situation")
    window = frame(app)
    assert pixels(window, app.layout.body) != orders
    assert colours(window, app.layout.body) > 50
    assert not app.tab_buttons["orders"].is_selected
    assert app.tab_buttons["situation"].is_selected
    # the control view (no actor) reads the whole state
    state = initial_state(spec, SEED)
    control = Viewpoint("", defender_side(spec))
    app.situation.draw(window, app.layout.body, state, control)
    assert colours(window, app.layout.body) > 50


def test_the_situation_tab_draws_the_tutorial(tutorial_spec: GameSpec) -> None:
    rules = Rules(tutorial_spec)
    small = ViewApp(tutorial_spec)
    try:
        seen = observe(tutorial_spec, initial_state(tutorial_spec), US)
        small.attach(PlayController(ViewPlayer(small, US), rules, seen))
        assert [p.theater for p in small.panes] == ["europe"]
        small.select_tab("situation")
        window = frame(small)
        assert colours(window, small.layout.body) > 50
        assert colours(window, small.layout.map) > MANY_COLOURS
        key(small, pygame.K_TAB)  # a single theater: Tab shows it alone, then both again
        assert small.shown == "europe"
        key(small, pygame.K_TAB)
        assert small.shown == BOTH
        assert [p.theater for p in small.panes] == ["europe"]
    finally:
        pygame.display.set_mode(SIZE, pygame.RESIZABLE)
