"""Teams at one screen: a hand-over screen between them, and a team's orders in the view.

In a facilitated exercise several teams may give their orders at the same screen, one
after the other.  Before each team looks, a hand-over screen covers everything, so the
previous team's view is gone before the next team sees the screen; then each of the
team's actors gives its orders on its own view, exactly as a player does.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from engine.core import Order
from engine.core.observation import observe
from engine.exercise.teams import Team
from engine.runner import Position
from engine.saves.replay import Replay
from engine.view import theme
from engine.view.app import ViewApp
from engine.view.mappane import Scene
from engine.view.play import PlayController, ViewPlayer
from engine.view.situation import Viewpoint


class HandOver:
    """A screen that hides everything until the next team (or the white cell) says it is
    ready."""

    tabs: tuple[str, ...] = ("situation",)

    def __init__(self, app: ViewApp, team: Team, scene: Scene, note: str = "") -> None:
        self.app = app
        self.team = team
        self.hidden = scene
        self.note = note
        self.done = False
        self.closed = False

    def build(self, app: ViewApp) -> None:
        """No widgets: nothing may show through."""

    def tab_changed(self, tab: str) -> None:
        """There is nothing to show."""

    def scene(self) -> Scene:
        return self.hidden

    def viewpoint(self) -> Viewpoint:
        return Viewpoint(self.team.actors[0], "")

    def headline(self) -> str:
        return f"Hand over to {self.team.name}"

    def events_html(self) -> str:
        return ""

    def click(self, pos: tuple[int, int], button: int) -> None:
        """Clicks on the cover do nothing: the team says it is ready with Enter."""

    def key(self, key: int) -> None:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.done = True

    def gui(self, event: pygame.event.Event) -> None:
        """There are no widgets."""

    def update(self, seconds: float) -> None:
        """Nothing moves."""

    def close(self) -> None:
        self.closed = True
        self.done = True

    def overlay(self, surface: pygame.Surface) -> None:
        """The cover: the whole window, opaque, with whose turn it is."""
        surface.fill(theme.INK)
        height = surface.get_height()
        lines = [
            (f"Hand the screen to {self.team.name}", theme.scaled(40, height), True),
            (
                "Press Enter when only this team can see the screen.",
                theme.scaled(22, height),
                False,
            ),
        ]
        if self.note:
            lines.append((self.note, theme.scaled(18, height), False))
        y = height // 2 - 80
        for words, size, bold in lines:
            image = theme.text(words, size, (255, 255, 255), bold)
            surface.blit(image, ((surface.get_width() - image.get_width()) // 2, y))
            y += image.get_height() + 18


def orders_in_view(
    app: ViewApp,
    replay: Replay,
    team: Team,
    position: Position,
    note: str = "",
    clock: float | None = None,
) -> dict[str, list[Order]] | None:
    """The hand-over screen for ``team``, then each of its actors' orders given in the view.

    ``clock`` is the team's time in seconds (shared by its actors; P pauses it).  Returns
    the orders by actor, or None when the window was closed (the orders given until then
    are dropped: a team that leaves gives no orders)."""
    spec = replay.spec
    first = observe(spec, position.state, team.actors[0], position.last_events, position.previous)
    cover = HandOver(app, team, Scene(first.state, spec.actor_by_id[team.actors[0]].side), note)
    app.attach(cover)
    app.run()
    if cover.closed:
        return None
    orders: dict[str, list[Order]] = {}
    for index, actor in enumerate(team.actors, start=1):
        seen = observe(spec, position.state, actor, position.last_events, position.previous)
        title = f"{team.name}: {spec.actor_by_id[actor].name} ({index} of {len(team.actors)})"
        turn = PlayController(ViewPlayer(app, actor), replay.rules, seen, title, clock)
        app.attach(turn)
        app.run()
        if turn.quit:
            return None
        orders[actor] = list(turn.draft.orders)
        clock = turn.clock
    return orders


def open_view(replay: Replay, title: str, screenshots: Path) -> ViewApp:
    """The window teams take turns at."""
    return ViewApp(replay.spec, caption=title, screenshots=screenshots)


def hand_to_white_cell(app: ViewApp, replay: Replay, note: str) -> bool:
    """The hand-over screen before the control view, which sees everything: the last team
    must not.  False when the window was closed."""
    spec = replay.spec
    white_cell = Team("white_cell", "the white cell", (spec.actors[0].id,), "human")
    state = replay.state_at(replay.last_turn + 1)
    cover = HandOver(app, white_cell, Scene(state, spec.actors[0].side), note)
    app.attach(cover)
    app.run()
    return not cover.closed
