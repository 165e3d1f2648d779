"""Replaying a save in the map view: a timeline, previous and next, play and pause, bookmarks.

Every state shown is replayed from the save's orders and checked against its digests
(:class:`~engine.saves.replay.Replay`).  Seen as one side (``side``), the map, the panels
and the events show only what that side saw; the control view shows everything.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pygame_gui

from engine.core import GameState
from engine.core.observation import observe
from engine.core.spec import defender_side
from engine.saves.game import Note, SavedGame
from engine.saves.redact import side_turn
from engine.saves.replay import Replay
from engine.view import theme
from engine.view.app import ViewApp, event_lines_html, show
from engine.view.mappane import Scene, short_name
from engine.view.situation import Viewpoint

SECONDS_PER_TURN = 1.5
"""How long each turn stays on screen while the replay plays."""


class ReplayController:
    """Steps through ``replay`` from turn ``turn``, as ``side`` saw it or from control."""

    tabs: tuple[str, ...] = ("situation", "events", "marks")
    owns_bottom_row = True
    """The timeline takes the bottom bar's second row; messages go beside the legend."""

    def __init__(
        self,
        app: ViewApp,
        replay: Replay,
        side: str = "",
        turn: int = 1,
        keep_notes: Callable[[SavedGame], None] | None = None,
    ) -> None:
        self.app = app
        self.replay = replay
        self.spec = replay.spec
        self.side_actor = side
        self.viewer_side = self.spec.actor_by_id[side].side if side else defender_side(self.spec)
        self.last = max(1, replay.last_turn)
        self.turn = min(max(1, turn), self.last)
        self.keep_notes = keep_notes
        self.playing = False
        self.clock = 0.0
        self.done = False
        self.widgets: dict[str, pygame_gui.core.UIElement] = {}
        self._state_cache: dict[int, GameState] = {}

    # ------------------------------------------------------------------ what is shown

    def state(self) -> GameState:
        """The state after the current turn, as the viewer saw it."""
        if self.turn not in self._state_cache:
            if self.replay.last_turn == 0:
                state = self.replay.start()
                if self.side_actor:
                    state = observe(self.spec, state, self.side_actor).state
            elif self.side_actor:
                state = side_turn(self.replay, self.side_actor, self.turn).state
            else:
                state = self.replay.state_at(self.turn + 1)
            self._state_cache[self.turn] = state
        return self._state_cache[self.turn]

    def scene(self) -> Scene:
        return Scene(self.state(), self.viewer_side)

    def viewpoint(self) -> Viewpoint:
        return Viewpoint(self.side_actor, self.viewer_side)

    def headline(self) -> str:
        if self.replay.last_turn == 0:
            return f"Replay · {self.spec.scenario_name} · no turn played yet"
        date = self.replay.saved.turn(self.turn).date
        who = (
            f"as {self.spec.actor_by_id[self.side_actor].name}"
            if self.side_actor
            else "control view"
        )
        mode = "playing" if self.playing else "paused"
        return f"Replay · turn {self.turn} of {self.last} · {date} · {who} · {mode}"

    def events_html(self) -> str:
        if self.replay.last_turn == 0:
            return event_lines_html([])
        saved = self.replay.saved.turn(self.turn)
        lines: list[tuple[str, str]] = []
        for note in self._notes_here():
            lines.append(("alert", note))
        if self.side_actor:
            seen = side_turn(self.replay, self.side_actor, self.turn)
            lines.append(("heading", f"Turn {self.turn}: what {self.side_actor} saw"))
            lines += [("event", e.describe()) for e in seen.events]
            lines += [("reason", f"{self.side_actor}: {r}") for r in seen.reasons]
            return event_lines_html(lines)
        lines.append(("heading", f"Turn {self.turn}: orders"))
        lines += [("event", f"{o.actor}: {o.text()}") for o in saved.orders]
        lines.append(("heading", "Why the computer players did it"))
        lines += [("reason", f"{who}: {why}") for who, why in saved.reasons]
        lines.append(("heading", "What happened"))
        lines += [("event", e.describe()) for e in self.replay.events_of(self.turn)]
        for control in saved.controls:
            lines.append(("alert", f"white cell ({control.kind}): {control.reason}"))
        return event_lines_html(lines)

    def _notes_here(self) -> list[str]:
        saved = self.replay.saved
        return [f"bookmark: {n.text}" for n in saved.bookmarks if n.turn == self.turn] + [
            f"note: {n.text}" for n in saved.annotations if n.turn == self.turn
        ]

    # ------------------------------------------------------------------ widgets

    def build(self, app: ViewApp) -> None:
        bar = app.layout.bottom
        height = app.window.get_height()
        row = max(28, round(34 * height / 900))
        y = bar.bottom - row - theme.scaled(26, height)
        x = bar.x + round(bar.width * 0.02)
        button = max(64, round(row * 2.6))
        manager = app.manager
        self.widgets = {
            "prev": pygame_gui.elements.UIButton(pygame.Rect(x, y, button, row), "< Prev", manager),
            "play": pygame_gui.elements.UIButton(
                pygame.Rect(x + button + 6, y, button, row), "Play", manager
            ),
            "next": pygame_gui.elements.UIButton(
                pygame.Rect(x + 2 * (button + 6), y, button, row), "Next >", manager
            ),
        }
        left = x + 3 * (button + 6) + 10
        self.widgets["timeline"] = pygame_gui.elements.UIHorizontalSlider(
            pygame.Rect(left, y, bar.right - left - 16, row),
            self.turn,
            (1, max(2, self.last)),
            manager,
        )
        body = app.layout.body.inflate(-12, -8)
        entry_row = row
        self.widgets["marks"] = pygame_gui.elements.UISelectionList(
            pygame.Rect(body.x, body.y, body.width, body.height - 2 * entry_row - 12), [], manager
        )
        self.widgets["label"] = pygame_gui.elements.UITextEntryLine(
            pygame.Rect(body.x, body.bottom - 2 * entry_row - 6, body.width, entry_row), manager
        )
        self.widgets["mark"] = pygame_gui.elements.UIButton(
            pygame.Rect(body.x, body.bottom - entry_row, body.width, entry_row),
            "Bookmark this turn with the label above",
            manager,
        )
        self.refresh()

    def tab_changed(self, tab: str) -> None:
        for name in ("marks", "label", "mark"):
            widget = self.widgets.get(name)
            if widget is not None:
                show(widget, tab == "marks")

    def refresh(self) -> None:
        if not self.widgets:
            return
        saved = self.replay.saved
        marks = self.widgets["marks"]
        assert isinstance(marks, pygame_gui.elements.UISelectionList)
        notes = sorted(
            [(n.turn, f"turn {n.turn}: {n.text}") for n in saved.bookmarks]
            + [(n.turn, f"turn {n.turn}: note: {n.text}") for n in saved.annotations]
        )
        marks.set_item_list([(text, str(turn)) for turn, text in notes])
        play = self.widgets["play"]
        assert isinstance(play, pygame_gui.elements.UIButton)
        play.set_text("Pause" if self.playing else "Play")
        timeline = self.widgets["timeline"]
        assert isinstance(timeline, pygame_gui.elements.UIHorizontalSlider)
        if int(timeline.get_current_value()) != self.turn:
            timeline.set_current_value(self.turn)

    def overlay(self, surface: pygame.Surface) -> None:
        """Bookmarks as ticks above the timeline."""
        timeline = self.widgets.get("timeline")
        if timeline is None or self.last < 2:
            return
        rect = timeline.get_abs_rect()
        inner = rect.inflate(-2 * rect.height, 0)
        for note in self.replay.saved.bookmarks:
            x = inner.x + round((note.turn - 1) / (self.last - 1) * inner.width)
            pygame.draw.polygon(
                surface, theme.ACCENT, [(x, rect.y - 2), (x - 6, rect.y - 12), (x + 6, rect.y - 12)]
            )

    # ------------------------------------------------------------------ moving

    def go(self, turn: int) -> None:
        turn = min(max(1, turn), self.last)
        if turn != self.turn:
            self.turn = turn
            self.app.say("")
        self.refresh()

    def toggle_play(self) -> None:
        if not self.playing and self.turn >= self.last:
            self.turn = 1
        self.playing = not self.playing
        self.clock = 0.0
        self.refresh()

    def bookmark(self, label: str) -> None:
        label = label.strip()
        if not label:
            self.app.say("type a label for the bookmark first", error=True)
            return
        saved = self.replay.saved
        saved.bookmarks.append(Note(self.turn, label))
        if self.keep_notes is not None:
            self.keep_notes(saved)
        self.app.say(f"bookmarked turn {self.turn}: {label}")
        self.refresh()

    # ------------------------------------------------------------------ input

    def click(self, pos: tuple[int, int], button: int) -> None:
        pane = self.app.pane_at(pos)
        if pane is None:
            return
        stack = pane.stack_at(pos)
        if stack is not None:
            strength = sum(u.strength for u in stack.units)
            units = ", ".join(u.id for u in stack.units[:6])
            more = f" and {len(stack.units) - 6} more" if len(stack.units) > 6 else ""
            name = short_name(self.spec.area_by_id[stack.area].name)
            self.app.say(f"{name}: {units}{more} (strength {strength:g})")
        else:
            area = pane.area_at(pos)
            if area is not None:
                self.app.say(self.spec.area_by_id[area].name)

    def key(self, key: int) -> None:
        if key == pygame.K_RIGHT:
            self.go(self.turn + 1)
        elif key == pygame.K_LEFT:
            self.go(self.turn - 1)
        elif key == pygame.K_HOME:
            self.go(1)
        elif key == pygame.K_END:
            self.go(self.last)
        elif key == pygame.K_SPACE:
            self.toggle_play()
        elif key in (pygame.K_ESCAPE, pygame.K_q):
            self.done = True

    def gui(self, event: pygame.event.Event) -> None:
        widgets = self.widgets
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is widgets.get("prev"):
                self.go(self.turn - 1)
            elif event.ui_element is widgets.get("next"):
                self.go(self.turn + 1)
            elif event.ui_element is widgets.get("play"):
                self.toggle_play()
            elif event.ui_element is widgets.get("mark"):
                label = widgets["label"]
                assert isinstance(label, pygame_gui.elements.UITextEntryLine)
                self.bookmark(label.get_text())
                label.set_text("")
        elif (
            event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED
            and event.ui_element is widgets.get("timeline")
        ):
            self.go(round(event.value))
        elif (
            event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION
            and event.ui_element is widgets.get("marks")
        ):
            marks = widgets["marks"]
            assert isinstance(marks, pygame_gui.elements.UISelectionList)
            chosen = marks.get_single_selection(include_object_id=True)
            if chosen is not None:
                self.go(int(chosen[1]))

    def update(self, seconds: float) -> None:
        if not self.playing:
            return
        self.clock += seconds
        if self.clock >= SECONDS_PER_TURN:
            self.clock = 0.0
            if self.turn >= self.last:
                self.playing = False
                self.refresh()
            else:
                self.go(self.turn + 1)

    def close(self) -> None:
        self.done = True
