"""Teams at one screen, headless: the hand-over screen, each actor's own screen, the orders
given by clicks, a closed window, and the facilitator's clock.

``orders_in_view`` runs the real frame loop; input is posted to pygame's queue once a
screen has drawn a frame (a person cannot click a counter before it is on screen), as
``tests/view`` does for ``ViewPlayer.decide``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pygame
import pytest

from engine.core import Move, Order
from engine.core.observation import observe
from engine.exercise.teams import Team, saved_teams
from engine.saves import Replay
from engine.view import theme
from engine.view.app import ViewApp
from engine.view.play import PlayController, ViewPlayer
from engine.view.team import HandOver, open_view, orders_in_view
from tests.view.support import (
    MANY_COLOURS,
    colours,
    free_point,
    key,
    key_event,
    mouse_event,
    pane_of,
    reset,
)

from .support import facilitate

WHITE = (255, 255, 255)
GIVE_UP_AFTER = 300
"""Frames a screen may take before the test gives up on it (the loop would run forever)."""

Respond = Callable[[ViewApp, object, int], Sequence[pygame.event.Event]]
"""What to post when a screen (the controller) draws its n-th frame (from 0)."""


@dataclass
class Shown:
    """The screens the loop showed, in order: each controller, its first frame, how many
    frames it drew, and its clock when first drawn."""

    screens: list[object] = field(default_factory=list)
    first_frames: list[pygame.Surface] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    clocks: list[float | None] = field(default_factory=list)


@contextmanager
def driven(app: ViewApp, respond: Respond) -> Iterator[Shown]:
    """Within the block, after every frame the app draws, post what ``respond`` says."""
    shown = Shown()
    draw = app.draw

    def draw_then_post() -> None:
        draw()
        screen = app.controller
        if not shown.screens or shown.screens[-1] is not screen:
            shown.screens.append(screen)
            shown.first_frames.append(app.window.copy())
            shown.frames.append(0)
            shown.clocks.append(screen.clock if isinstance(screen, PlayController) else None)
        count = shown.frames[-1]
        shown.frames[-1] += 1
        if count > GIVE_UP_AFTER:
            raise AssertionError(f"{screen!r} never ended")
        for event in respond(app, screen, count):
            pygame.event.post(event)

    app.draw = draw_then_post  # type: ignore[method-assign]
    try:
        yield shown
    finally:
        del app.draw
        pygame.event.clear()


@dataclass(frozen=True)
class Table:
    """The default scenario's exercise before turn 1, a window, and the team at it."""

    replay: Replay
    app: ViewApp
    team: Team


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Table]:
    folder = tmp_path_factory.mktemp("view")
    replay = Replay.open(facilitate(folder))
    app = open_view(replay, "turn 1", folder)
    yield Table(replay, app, saved_teams(replay.saved.teams)["japan_rok"])
    reset(app)


def enter_everywhere(app: ViewApp, screen: object, count: int) -> list[pygame.event.Event]:
    return [key_event(pygame.K_RETURN)] if count == 0 else []


def give_orders(table: Table, respond: Respond, clock: float | None = None) -> tuple[
    dict[str, list[Order]] | None, Shown
]:
    reset(table.app)
    with driven(table.app, respond) as shown:
        given = orders_in_view(
            table.app, table.replay, table.team, table.replay.position(1), "turn 1", clock
        )
    return given, shown


def a_move(app: ViewApp, screen: PlayController) -> tuple[list[pygame.event.Event], Move]:
    """Clicks that order one of the screen's actor's units to an area it may move to (not
    an attack), and the order they give."""
    for pane in app.panes:
        for stack in pane.stacks:
            mine = [u for u in stack.units if u.owner == screen.actor]
            if not mine or pane_of(app, stack.area).stack_at(stack.rect.center) != stack:
                continue
            unit = mine[0]  # a click on a stack selects its first unit of the actor's
            attacks = set(screen.draft.attack_targets(unit.id))
            drawn = {a for p in app.panes for a in p.areas}
            places = sorted(set(screen.draft.destinations(unit.id)) - attacks & drawn)
            if places:
                clicks = [mouse_event(stack.rect.center), mouse_event(free_point(app, places[0]))]
                return clicks, Move(screen.actor, unit.id, places[0])
    raise AssertionError(f"no unit of {screen.actor} may move")


# ---------------------------------------------------------------------- the hand-over screen


def on_the_blend_of_ink_and_white(colour: tuple[int, int, int]) -> bool:
    """Whether ``colour`` lies between the cover's ink and white text (antialiased edges)."""
    ink = np.array(theme.INK, dtype=float)
    share = (np.array(colour, dtype=float) - ink) / (np.array(WHITE, dtype=float) - ink)
    return bool(share.max() - share.min() <= 0.03)


def colour_set(
    surface: pygame.Surface, rect: pygame.Rect | None = None
) -> set[tuple[int, int, int]]:
    part = surface.subsurface(rect) if rect is not None else surface
    raw = np.frombuffer(pygame.image.tobytes(part, "RGB"), dtype=np.uint8).reshape(-1, 3)
    packed = raw[:, 0].astype(np.uint32) << 16 | raw[:, 1].astype(np.uint32) << 8 | raw[:, 2]
    return {(int(p) >> 16, int(p) >> 8 & 255, int(p) & 255) for p in np.unique(packed)}


def test_the_hand_over_screen_comes_first_hides_the_map_and_only_enter_passes_it(
    table: Table,
) -> None:
    def respond(app: ViewApp, screen: object, count: int) -> list[pygame.event.Event]:
        if isinstance(screen, HandOver):
            if count == 0:  # a click on the map and other keys do not pass it
                return [mouse_event(app.layout.map.center), key_event(pygame.K_a),
                        key_event(pygame.K_ESCAPE)]
            return [key_event(pygame.K_RETURN)] if count == 3 else []
        return enter_everywhere(app, screen, count)

    given, shown = give_orders(table, respond)
    assert given == {"japan": [], "rok": []}
    cover = shown.screens[0]
    assert isinstance(cover, HandOver) and cover.team == table.team
    assert shown.frames[0] >= 4  # it stayed through the click and the keys
    assert cover.headline() == "Hand over to Japan and the ROK"
    hidden, map_frame = shown.first_frames[0], shown.first_frames[1]
    assert colours(map_frame) > MANY_COLOURS
    assert colours(hidden) < MANY_COLOURS // 2
    on_cover = colour_set(hidden)
    assert all(on_the_blend_of_ink_and_white(c) for c in on_cover)
    raw = np.frombuffer(pygame.image.tobytes(hidden, "RGB"), dtype=np.uint8).reshape(-1, 3)
    assert np.all(raw == np.array(theme.INK, dtype=np.uint8), axis=1).mean() > 0.9
    of_the_map = {c for c in colour_set(map_frame, table.app.layout.map)
                  if not on_the_blend_of_ink_and_white(c)}
    assert of_the_map and not of_the_map & on_cover


def test_the_hand_over_screen_names_the_team_and_the_note(table: Table) -> None:
    reset(table.app)
    scene = PlayController(
        ViewPlayer(table.app, "japan"), table.replay.rules,
        observe(table.replay.spec, table.replay.state_at(1), "japan"),
    ).scene()
    with_note = HandOver(table.app, table.team, scene, "turn 1")
    table.app.attach(with_note)
    table.app.draw()
    plain = HandOver(table.app, table.team, scene)
    table.app.attach(plain)
    noted = table.app.window.copy()
    table.app.draw()
    assert pygame.image.tobytes(noted, "RGB") != pygame.image.tobytes(table.app.window, "RGB")
    for which in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
        cover = HandOver(table.app, table.team, scene)
        table.app.attach(cover)
        key(table.app, which)
        assert cover.done and not cover.closed
    reset(table.app)


# ---------------------------------------------------------------------- each actor's screen


def test_each_actor_gives_its_orders_on_its_own_screen(table: Table) -> None:
    clicked: dict[str, Move] = {}

    def respond(app: ViewApp, screen: object, count: int) -> list[pygame.event.Event]:
        if isinstance(screen, PlayController) and count == 0:
            clicks, order = a_move(app, screen)
            clicked[screen.actor] = order
            return [*clicks, key_event(pygame.K_RETURN)]
        return enter_everywhere(app, screen, count)

    given, shown = give_orders(table, respond)
    assert [type(s) for s in shown.screens] == [HandOver, PlayController, PlayController]
    turns = [s for s in shown.screens if isinstance(s, PlayController)]
    assert [t.actor for t in turns] == ["japan", "rok"]
    assert [t.title for t in turns] == [
        "Japan and the ROK: Japan (1 of 2)",
        "Japan and the ROK: Republic of Korea (2 of 2)",
    ]
    assert turns[0].headline() == (
        "Japan and the ROK: Japan (1 of 2) · Turn 1 of 24 · 2025-01 · orders · Japan · "
        "budget 2.2 of 2.2"
    )
    for turn in turns:
        assert turn.observation.actor == turn.actor
        assert turn.observation == observe(
            table.replay.spec, table.replay.state_at(1), turn.actor
        )
    assert set(clicked) == {"japan", "rok"}
    assert given == {actor: [order] for actor, order in clicked.items()}


def test_closing_the_window_gives_no_orders(table: Table) -> None:
    quit_event = pygame.event.Event(pygame.QUIT)

    def close_at_once(app: ViewApp, screen: object, count: int) -> list[pygame.event.Event]:
        return [quit_event] if count == 0 else []

    given, shown = give_orders(table, close_at_once)
    assert given is None
    assert len(shown.screens) == 1 and isinstance(shown.screens[0], HandOver)
    assert shown.screens[0].closed

    def close_at_the_second_actor(
        app: ViewApp, screen: object, count: int
    ) -> list[pygame.event.Event]:
        if isinstance(screen, PlayController) and count == 0:
            if screen.actor == "rok":
                return [quit_event]
            clicks, _order = a_move(app, screen)
            return [*clicks, key_event(pygame.K_RETURN)]
        return enter_everywhere(app, screen, count)

    given, shown = give_orders(table, close_at_the_second_actor)
    assert given is None  # the first actor's orders are dropped with the rest
    assert len(shown.screens) == 3


# ---------------------------------------------------------------------- the clock


def test_the_team_shares_one_clock_across_its_actors(table: Table) -> None:
    given, shown = give_orders(table, enter_everywhere, clock=120.0)
    assert given == {"japan": [], "rok": []}
    first, second = shown.clocks[1], shown.clocks[2]
    assert first is not None and second is not None
    assert 0 < second < first < 120.0  # the second actor starts with what the first left
    turns = [s for s in shown.screens if isinstance(s, PlayController)]
    assert turns[1].clock is not None and turns[1].clock < second


@pytest.fixture
def clocked(table: Table) -> Iterator[PlayController]:
    """Japan's screen with a minute and a half on the clock."""
    reset(table.app)
    seen = observe(table.replay.spec, table.replay.state_at(1), "japan")
    turn = PlayController(ViewPlayer(table.app, "japan"), table.replay.rules, seen, "T", 90.0)
    table.app.attach(turn)
    yield turn
    reset(table.app)


def test_the_clock_counts_down_and_warns_at_one_minute(
    table: Table, clocked: PlayController
) -> None:
    app = table.app
    assert clocked.headline() == (
        "T · Turn 1 of 24 · 2025-01 · orders · Japan · budget 2.2 of 2.2 · 1:30 left"
    )
    clocked.update(29.5)
    assert clocked.clock == 60.5
    assert clocked.headline().endswith(" · 1:01 left")
    assert app.message == ""
    clocked.update(0.5)
    assert clocked.headline().endswith(" · 1:00 left")
    assert (app.message, app.message_is_error) == ("one minute left to give your orders", True)
    app.say("")
    clocked.update(1.0)
    assert clocked.headline().endswith(" · 0:59 left")
    assert app.message == ""  # warned once
    clocked.update(58.5)
    assert clocked.headline().endswith(" · 0:01 left")
    clocked.update(0.5)
    assert clocked.clock is not None and clocked.clock <= 0
    assert clocked.headline().endswith(" · TIME IS UP")
    assert (app.message, app.message_is_error) == ("time is up: end the turn (Enter)", True)
    app.say("")
    clocked.update(10.0)
    assert clocked.clock == 0 and app.message == ""
    assert not clocked.done  # time up ends nothing: the team ends its turn
    key(app, pygame.K_RETURN)
    assert clocked.done


def paused(turn: PlayController) -> bool:
    """Whether the clock is paused, read afresh (a key press changes it)."""
    return turn.paused


def test_p_pauses_the_clock_and_p_again_lets_it_run(table: Table, clocked: PlayController) -> None:
    app = table.app
    key(app, pygame.K_p)
    assert paused(clocked)
    assert app.message == "the clock is paused (P to go on)"
    assert clocked.headline().endswith(" · 1:30 left (paused: P)")
    clocked.update(45.0)
    assert clocked.clock == 90.0
    key(app, pygame.K_p)
    assert not paused(clocked) and app.message == "the clock runs"
    clocked.update(45.0)
    assert clocked.clock == 45.0
    assert clocked.headline().endswith(" · 0:45 left")


def test_without_a_clock_nothing_counts_and_p_does_nothing(table: Table) -> None:
    reset(table.app)
    seen = observe(table.replay.spec, table.replay.state_at(1), "rok")
    turn = PlayController(ViewPlayer(table.app, "rok"), table.replay.rules, seen)
    table.app.attach(turn)
    headline = turn.headline()
    assert "left" not in headline and "TIME" not in headline
    key(table.app, pygame.K_p)
    turn.update(1000.0)
    assert (turn.clock, turn.paused, turn.headline()) == (None, False, headline)
    assert table.app.message == ""
    reset(table.app)

