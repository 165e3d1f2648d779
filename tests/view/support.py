"""What the map view's tests share: scenarios, a recorded game, input events and pictures.

Every test draws off screen (``tests/conftest.py`` sets ``SDL_VIDEODRIVER=dummy``).  pygame
has one display surface per process, so every :class:`ViewApp` here is built at the
default size and a test that resizes the window or switches theaters puts it back with
:func:`reset` (the ``app`` fixtures do it after every test).  Input goes through
:meth:`ViewApp.handle`, the way the frame loop routes it, unless a test is about the loop
itself (``ViewPlayer.decide``), where events are posted to pygame's queue.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pygame
import pygame_gui

from engine.ai.bot import Bot, Decision
from engine.ai.players import make_bots
from engine.content import LoadedGame, load_game
from engine.core import GameState, Order, Rules, Unit, initial_state
from engine.core.observation import Observation
from engine.core.rng import Rng
from engine.runner import GameRecord, TurnRecord, play_game
from engine.saves import Recorder, Replay, SavedGame, new_save, players_of
from engine.view import theme
from engine.view.app import BOTH, ViewApp
from engine.view.mappane import MapPane, Stack

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "default.yaml"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
SEED = 3
"""The seed of the recorded default game the replay tests step through."""
SIZE = theme.DEFAULT_SIZE
MANY_COLOURS = 500
"""A drawn screen has thousands of colours (map shading, antialiased text, counters); a
blank or single-panel one has a handful."""


# ---------------------------------------------------------------------- games


@cache
def loaded(scenario: Path) -> LoadedGame:
    """The scenario loaded once per process (a loaded game is never changed)."""
    return load_game(scenario)


@cache
def rules_of(scenario: Path) -> Rules:
    return Rules(loaded(scenario).spec)


def computer_players(scenario: Path) -> dict[str, Bot]:
    """Fresh computer players for every actor, as ``redline run`` seats them."""
    game = loaded(scenario)
    return make_bots(rules_of(scenario), game.doctrine, {}, None)


@dataclass(frozen=True)
class Recorded:
    """A game played by the computer players and saved as it went: the save, the record
    and ``states[t]``, the state at the start of turn ``t`` as the game loop had it."""

    saved: SavedGame
    record: GameRecord
    states: dict[int, GameState]

    @property
    def last_turn(self) -> int:
        return len(self.record.turns)

    def replay(self, path: Path) -> Replay:
        """A replay of a copy of the save (bookmarks may be added to it), said to be at
        ``path`` (nothing is written there)."""
        return Replay(copy.deepcopy(self.saved), path)


@cache
def recorded(scenario: Path = DEFAULT, seed: int = SEED) -> Recorded:
    """The whole game of ``scenario``, played and recorded once per process."""
    game, rules = loaded(scenario), rules_of(scenario)
    bots = computer_players(scenario)
    saved = new_save(game, seed, players_of(bots), None)
    recorder = Recorder(saved)
    states = {1: initial_state(game.spec, seed)}

    def on_turn(record: TurnRecord, state: GameState) -> None:
        recorder(record, state)
        states[state.turn] = state

    record = play_game(rules, bots, seed=seed, on_turn=on_turn)
    return Recorded(saved, record, states)


@dataclass
class Scripted:
    """A bot that gives the same orders every turn, whatever it sees."""

    orders: tuple[Order, ...]
    name: str = "scripted"

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        return Decision(self.orders)


# ---------------------------------------------------------------------- the window


def reset(app: ViewApp) -> None:
    """Put ``app`` back to both theaters at the default size, with no pending input."""
    if app.shown != BOTH or app.window.get_size() != SIZE or app.layout.size != SIZE:
        app.shown = BOTH
        app.window = pygame.display.set_mode(SIZE, pygame.RESIZABLE)
        app.relayout(SIZE)
    elif pygame.display.get_surface() is not app.window:
        app.window = pygame.display.set_mode(SIZE, pygame.RESIZABLE)
    app.say("")
    pygame.event.clear()


def frame(app: ViewApp) -> pygame.Surface:
    """Draw one frame as the loop does (widgets updated, then drawn) and return the window."""
    app.manager.update(0)
    app.draw()
    return app.window


def pixels(surface: pygame.Surface, rect: pygame.Rect | None = None) -> bytes:
    """The RGB bytes of ``surface`` (or of ``rect`` in it): equal bytes, equal pictures."""
    part = surface.subsurface(rect) if rect is not None else surface
    return pygame.image.tobytes(part, "RGB")


def colours(surface: pygame.Surface, rect: pygame.Rect | None = None) -> int:
    """How many distinct colours ``surface`` (or ``rect`` in it) holds."""
    part = surface.subsurface(rect) if rect is not None else surface
    raw = np.frombuffer(pygame.image.tobytes(part, "RGB"), dtype=np.uint8).reshape(-1, 3)
    packed = raw[:, 0].astype(np.uint32) << 16 | raw[:, 1].astype(np.uint32) << 8 | raw[:, 2]
    return len(np.unique(packed))


def png_colours(path: Path) -> tuple[tuple[int, int], int]:
    """The size of the image file at ``path`` and how many distinct colours it holds."""
    image = pygame.image.load(str(path))
    return image.get_size(), colours(image)



# ---------------------------------------------------------------------- input


def key(app: ViewApp, which: int) -> None:
    """A key pressed in the window."""
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=which, mod=0, unicode="", scancode=0))


def mouse(app: ViewApp, pos: tuple[int, int], button: int = 1) -> None:
    """A mouse button pressed at ``pos`` (1 left, 3 right; pygame sends 4 and 5 for the
    wheel)."""
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button, touch=False))


def press(app: ViewApp, widget: pygame_gui.core.UIElement) -> None:
    """A pygame_gui button pressed, as the manager announces it."""
    app.handle(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=widget))


def click_widget(app: ViewApp, widget: pygame_gui.core.UIElement) -> None:
    """A left click on ``widget`` (press and release at its centre), then every event the
    widgets announce in turn handed back to the app, as the frame loop would."""
    pos = widget.get_abs_rect().center
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        app.handle(pygame.event.Event(kind, pos=pos, button=1, touch=False))
    settle(app)


def settle(app: ViewApp) -> None:
    """Hand the app the events waiting in pygame's queue until none is left."""
    for _ in range(10):
        app.manager.update(0.01)
        waiting = pygame.event.get()
        if not waiting:
            return
        for event in waiting:
            app.handle(event)


def mouse_event(pos: tuple[int, int], button: int = 1) -> pygame.event.Event:
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button, touch=False)


def key_event(which: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=which, mod=0, unicode="", scancode=0)


@contextmanager
def posting_after_first_frame(
    app: ViewApp, events: Callable[[ViewApp], Sequence[pygame.event.Event]]
) -> Iterator[None]:
    """Within the block, post ``events(app)`` to pygame's queue once the app has drawn its
    first frame, when the stacks are on screen (a person cannot click a counter before it
    is drawn); the frame loop picks them up on its next turn."""
    posted = False
    draw = app.draw

    def draw_then_post() -> None:
        nonlocal posted
        draw()
        if not posted:
            posted = True
            for event in events(app):
                pygame.event.post(event)

    app.draw = draw_then_post  # type: ignore[method-assign]
    try:
        yield
    finally:
        del app.draw
    assert posted, "the app never drew a frame"


# ---------------------------------------------------------------------- the map


def stacks(app: ViewApp) -> list[Stack]:
    """Every stack drawn in the last frame, in every pane."""
    return [s for pane in app.panes for s in pane.stacks]


def drawn_units(app: ViewApp) -> dict[str, Unit]:
    """Every unit in a stack drawn in the last frame, by id."""
    return {u.id: u for s in stacks(app) for u in s.units}


def stack(app: ViewApp, area: str, side: str) -> Stack:
    """The stack of ``side`` drawn in ``area``."""
    found = [s for s in stacks(app) if s.area == area and s.side == side]
    assert found, f"no {side} stack is drawn in {area}"
    return found[0]


def pane_of(app: ViewApp, area: str) -> MapPane:
    return next(p for p in app.panes if area in p.areas)


def free_point(app: ViewApp, area: str) -> tuple[int, int]:
    """A point of ``area`` on screen that no stack covers: a click there means the area."""
    pane = pane_of(app, area)
    covered = [s.rect for s in pane.stacks]
    x0, y0 = pane.area_point(area)
    for radius in range(0, max(pane.rect.size), 3):
        for dx, dy in _ring(radius):
            point = (x0 + dx, y0 + dy)
            if (
                pane.rect.collidepoint(point)
                and pane.area_at(point) == area
                and not any(r.collidepoint(point) for r in covered)
            ):
                return point
    raise AssertionError(f"no free point of {area} on screen")


def _ring(radius: int) -> Iterable[tuple[int, int]]:
    if radius == 0:
        yield (0, 0)
        return
    for step in range(-radius, radius + 1, 3):
        yield (step, -radius)
        yield (step, radius)
        yield (-radius, step)
        yield (radius, step)


def has_colour(surface: pygame.Surface, colour: tuple[int, int, int], rect: pygame.Rect) -> bool:
    """Whether some pixel of ``rect`` in ``surface`` is exactly ``colour``."""
    raw = np.frombuffer(pixels(surface, rect), dtype=np.uint8).reshape(-1, 3)
    return bool(np.all(raw == np.array(colour, dtype=np.uint8), axis=1).any())
