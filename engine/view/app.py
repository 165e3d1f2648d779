"""The window of the map view: layout, the loop, and what every screen has in common.

A :class:`ViewApp` owns the window, the pygame_gui manager and the layout: a top bar (turn,
date, who is looking), the map (both theaters side by side, or one at a time: Tab), a
sidebar with tabs (the situation, the events, and whatever the screen adds) and a bottom
bar with the legend and the last message.  What is shown and what clicks mean belongs to
a :class:`Controller`: playing a turn (:mod:`engine.view.play`) or stepping through a save
(:mod:`engine.view.replay`).  Everything draws under ``SDL_VIDEODRIVER=dummy`` too, so the
view can be tested and screenshots taken without a display.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pygame
import pygame_gui

from engine.core.spec import GameSpec
from engine.view import theme
from engine.view.basemap import Geography
from engine.view.mappane import MapPane, Scene, panes_for
from engine.view.situation import SituationPanel, Viewpoint

BOTH = "both"
FRAME_RATE = 60


class Controller(Protocol):
    """What a screen of the view decides: what is shown and what input means."""

    tabs: tuple[str, ...]
    """The sidebar's tabs, in order; ``situation`` and ``events`` are drawn by the app."""
    done: bool

    def build(self, app: ViewApp) -> None:
        """Create the screen's widgets; called again whenever the layout changes."""

    def tab_changed(self, tab: str) -> None:
        """Show the screen's own widgets when their tab is chosen, hide them otherwise."""

    def scene(self) -> Scene: ...

    def viewpoint(self) -> Viewpoint: ...

    def headline(self) -> str:
        """The top bar's text: the turn, the date and who is looking."""

    def events_html(self) -> str:
        """The events tab, as pygame_gui HTML."""

    def click(self, pos: tuple[int, int], button: int) -> None: ...

    def key(self, key: int) -> None: ...

    def gui(self, event: pygame.event.Event) -> None: ...

    def update(self, seconds: float) -> None: ...

    def close(self) -> None:
        """The window was closed."""

    def overlay(self, surface: pygame.Surface) -> None:
        """Draw anything of the screen's own over the finished frame."""


class Layout:
    """Where everything goes in a window of ``size``."""

    def __init__(self, size: tuple[int, int]) -> None:
        width, height = size
        self.size = size
        self.top = pygame.Rect(0, 0, width, theme.scaled(52, height))
        side = max(320, round(width * 0.27))
        bottom_height = theme.scaled(96, height)
        self.map = pygame.Rect(
            0, self.top.bottom, width - side, height - self.top.bottom - bottom_height
        )
        self.bottom = pygame.Rect(0, self.map.bottom, self.map.width, bottom_height)
        self.sidebar = pygame.Rect(self.map.right, self.top.bottom, side, height - self.top.bottom)
        tab_height = theme.scaled(36, height)
        self.tabs = pygame.Rect(self.sidebar.x, self.sidebar.y, side, tab_height)
        self.body = pygame.Rect(
            self.sidebar.x, self.tabs.bottom, side, self.sidebar.height - tab_height
        )


class ViewApp:
    """The window, its panes and panels, and the frame loop."""

    def __init__(
        self,
        spec: GameSpec,
        size: tuple[int, int] = theme.DEFAULT_SIZE,
        fullscreen: bool = False,
        caption: str = "Redline",
        screenshots: Path = Path("."),
    ) -> None:
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(caption)
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        self.window = pygame.display.set_mode(size, flags)
        self.spec = spec
        self.palette = theme.Palette.of(spec)
        self.geography = Geography.load()
        self.screenshots = screenshots
        self.theaters = [
            t.id
            for t in spec.theaters
            if any(a.theater == t.id and not a.offmap for a in spec.areas)
        ]
        self.shown = BOTH
        self.tab = ""
        self.message = ""
        self.message_is_error = False
        self.clock = pygame.time.Clock()
        self.manager = pygame_gui.UIManager(size, str(theme.GUI_THEME))
        self.manager.preload_fonts(
            [
                {"name": "noto_sans", "point_size": size, "style": style, "antialiased": "1"}
                for size in (14, 16)
                for style in ("bold", "italic")
            ]
        )
        self.controller: Controller | None = None
        self.layout = Layout(size)
        self.panes: list[MapPane] = []
        self.tab_buttons: dict[str, pygame_gui.elements.UIButton] = {}
        self.events_box: pygame_gui.elements.UITextBox | None = None
        self.situation = SituationPanel(spec, self.palette, size[1])
        self._events_shown = ""
        self.hover: str | None = None
        """The area under the mouse, named in the bottom bar."""
        self._panes_built: dict[tuple[tuple[str, ...], tuple[int, ...]], list[MapPane]] = {}
        """Panes by the theaters shown and the map's rectangle: a new turn, or a return to
        an earlier layout, reuses the base maps instead of rasterising them again."""

    # ------------------------------------------------------------------ layout

    def attach(self, controller: Controller) -> None:
        """Show ``controller``'s screen, with nothing of the previous one's messages."""
        self.controller = controller
        self.say("")
        self.tab = controller.tabs[0]
        self.relayout(self.window.get_size())

    def relayout(self, size: tuple[int, int]) -> None:
        """Lay everything out again for a window of ``size`` (after a resize or a switch of
        theaters); the base maps are rendered again at their new size."""
        self.layout = Layout(size)
        self.manager.set_window_resolution(size)
        self.manager.clear_and_reset()  # type: ignore[no-untyped-call]
        self.situation = SituationPanel(self.spec, self.palette, size[1])
        shown = tuple(self.theaters if self.shown == BOTH else [self.shown])
        key = (shown, tuple(self.layout.map))
        if key not in self._panes_built:
            self._panes_built[key] = panes_for(
                self.spec, shown, self.layout.map, self.geography, self.palette
            )
        self.panes = self._panes_built[key]
        for pane in self.panes:
            pane.stacks = []  # nothing of the previous screen can be clicked
        self._build_tabs()
        self.events_box = None
        self._events_shown = ""
        if self.controller is not None:
            self.controller.build(self)
        self.select_tab(self.tab)

    def _build_tabs(self) -> None:
        assert self.controller is not None
        tabs = self.controller.tabs
        width = self.layout.tabs.width // len(tabs)
        self.tab_buttons = {
            name: pygame_gui.elements.UIButton(
                pygame.Rect(
                    self.layout.tabs.x + i * width,
                    self.layout.tabs.y,
                    width,
                    self.layout.tabs.height,
                ),
                name.capitalize(),
                self.manager,
                object_id=f"#tab_{name}",
            )
            for i, name in enumerate(tabs)
        }

    def select_tab(self, name: str) -> None:
        """Show the sidebar tab ``name``; the controller shows or hides its own widgets."""
        self.tab = name
        for tab, button in self.tab_buttons.items():
            if tab == name:
                button.select()  # type: ignore[no-untyped-call]
            else:
                button.unselect()  # type: ignore[no-untyped-call]
        if name == "events":
            self._show_events()
        elif self.events_box is not None:
            show(self.events_box, False)
        if self.controller is not None:
            self.controller.tab_changed(name)

    def _show_events(self) -> None:
        assert self.controller is not None
        content = self.controller.events_html()
        if self.events_box is None or content != self._events_shown:
            if self.events_box is not None:
                self.events_box.kill()
            self.events_box = pygame_gui.elements.UITextBox(
                content, self.layout.body.inflate(-8, -8), self.manager
            )
            self._events_shown = content
        show(self.events_box, True)

    def switch_theaters(self) -> None:
        """Both theaters, then each one alone, then both again."""
        order = [BOTH, *self.theaters]
        self.shown = order[(order.index(self.shown) + 1) % len(order)]
        self.relayout(self.window.get_size())

    def say(self, message: str, error: bool = False) -> None:
        """Put ``message`` in the bottom bar (in red for a refusal)."""
        self.message = message
        self.message_is_error = error

    # ------------------------------------------------------------------ the loop

    def run(self) -> None:
        """Handle input and draw until the controller is done."""
        assert self.controller is not None
        while not self.controller.done:
            seconds = self.clock.tick(FRAME_RATE) / 1000
            for event in pygame.event.get():
                self.handle(event)
            self.controller.update(seconds)
            self.manager.update(seconds)
            self.draw()
            pygame.display.flip()

    def handle(self, event: pygame.event.Event) -> None:
        """Route one input event to the app, the widgets or the controller."""
        controller = self.controller
        assert controller is not None
        if event.type == pygame.QUIT:
            controller.close()
            return
        if event.type == pygame.VIDEORESIZE:
            size = (max(960, event.w), max(600, event.h))
            self.window = pygame.display.set_mode(size, pygame.RESIZABLE)
            self.relayout(size)
            return
        consumed = self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            tab = next((n for n, b in self.tab_buttons.items() if b is event.ui_element), None)
            if tab is not None:
                self.select_tab(tab)
                return
        if event.type >= pygame.USEREVENT:
            controller.gui(event)
            return
        if event.type == pygame.MOUSEMOTION:
            pane = self.pane_at(event.pos)
            self.hover = pane.area_at(event.pos) if pane is not None else None
        if event.type == pygame.KEYDOWN and not _typing(self.manager):
            self._key(event.key)
        elif (
            event.type == pygame.MOUSEBUTTONDOWN
            and not consumed
            and self.layout.map.collidepoint(event.pos)
        ):
            controller.click(event.pos, event.button)

    def _key(self, key: int) -> None:
        assert self.controller is not None
        if key == pygame.K_TAB:
            self.switch_theaters()
        elif key == pygame.K_F11:
            self.toggle_fullscreen()
        elif key == pygame.K_F12:
            self.say(f"screenshot saved to {self.screenshot_next()}")
        else:
            self.controller.key(key)

    def toggle_fullscreen(self) -> None:
        try:
            pygame.display.toggle_fullscreen()
        except pygame.error as exc:
            self.say(f"fullscreen is not available here ({exc})", error=True)

    def screenshot(self, path: Path) -> Path:
        """Draw a frame and save it as an image at ``path`` (PNG by its name)."""
        self.manager.update(0)
        self.draw()
        pygame.image.save(self.window, str(path))
        return path

    def screenshot_next(self) -> Path:
        """A screenshot under the next free name ``redline-NNN.png``."""
        self.screenshots.mkdir(parents=True, exist_ok=True)
        number = 1
        while (self.screenshots / f"redline-{number:03d}.png").exists():
            number += 1
        return self.screenshot(self.screenshots / f"redline-{number:03d}.png")

    # ------------------------------------------------------------------ drawing

    def draw(self) -> None:
        controller = self.controller
        assert controller is not None
        window = self.window
        window.fill(theme.PANEL)
        scene = controller.scene()
        for pane in self.panes:
            pane.draw(window, scene)
        self._draw_top(controller.headline())
        self._draw_bottom(scene)
        if self.tab == "situation":
            self.situation.draw(window, self.layout.body, scene.state, controller.viewpoint())
        elif self.tab == "events":
            self._show_events()
        self.manager.draw_ui(window)
        controller.overlay(window)

    def _draw_top(self, headline: str) -> None:
        bar = self.layout.top
        pygame.draw.rect(self.window, theme.INK, bar)
        size = theme.scaled(20, self.window.get_height())
        label = theme.text(headline, size, (255, 255, 255), bold=True)
        self.window.blit(label, (12, bar.centery - label.get_height() // 2))

    def _draw_bottom(self, scene: Scene) -> None:
        bar = self.layout.bottom
        pygame.draw.rect(self.window, theme.PAPER, bar)
        pygame.draw.line(self.window, theme.RULE, bar.topleft, bar.topright)
        height = self.window.get_height()
        size = theme.scaled(14, height)
        x, y = bar.x + 10, bar.y + 6
        for entry, colour in self._legend(scene):
            pygame.draw.rect(self.window, colour, (x, y + 3, 14, 14), border_radius=3)
            label = theme.text(entry, size)
            self.window.blit(label, (x + 18, y))
            x += 18 + label.get_width() + 16
        if self.message:
            colour = theme.BAD if self.message_is_error else theme.INK
            message = theme.text(self.message, theme.scaled(16, height), colour, bold=True)
            # A screen with widgets in the bar's second row (the replay's timeline) has its
            # messages beside the legend instead.
            below = not getattr(self.controller, "owns_bottom_row", False)
            spot = (
                (bar.x + 10, bar.y + 6 + theme.font(size).get_linesize() + 8)
                if below
                else (x + 8, bar.y + 4)
            )
            self.window.blit(message, spot)
        if self.hover is not None:
            area = self.spec.area_by_id[self.hover]
            holder = scene.state.control[self.spec.area_index[self.hover]]
            held = f", held by {self.spec.actor_by_id[holder].name}" if holder else ""
            where = theme.text(f"{area.name}{held}", theme.scaled(16, height), theme.INK, True)
            self.window.blit(where, (bar.right - where.get_width() - 10, bar.y + 6))
        hint = theme.text("Tab: theaters · F11: full screen · F12: screenshot", size, theme.MUTED)
        self.window.blit(
            hint, (bar.right - hint.get_width() - 10, bar.bottom - hint.get_height() - 4)
        )

    def _legend(self, scene: Scene) -> list[tuple[str, theme.Color]]:
        entries = [(side.name, self.palette.sides[side.id]) for side in self.spec.sides]
        if scene.move_targets:
            entries.append(("may move here", theme.MOVE_HIGHLIGHT))
        if scene.attack_targets:
            entries.append(("may attack here", theme.ATTACK_HIGHLIGHT))
        return entries

    # ------------------------------------------------------------------ picking

    def pane_at(self, pos: tuple[int, int]) -> MapPane | None:
        return next((p for p in self.panes if p.rect.collidepoint(pos)), None)

    def area_point(self, area: str) -> tuple[int, int] | None:
        """Where ``area``'s stack stands on screen, if it is shown."""
        pane = next((p for p in self.panes if area in p.areas), None)
        return pane.area_point(area) if pane is not None else None


def event_lines_html(lines: Sequence[tuple[str, str]]) -> str:
    """``(kind, text)`` lines as pygame_gui HTML: headings in bold, reasons in italics."""
    parts = []
    for kind, text in lines:
        safe = html.escape(text)
        if kind == "heading":
            parts.append(f"<b>{safe}</b>")
        elif kind == "reason":
            parts.append(f"<i>{safe}</i>")
        elif kind == "alert":
            parts.append(f"<font color='#b71c1c'><b>{safe}</b></font>")
        else:
            parts.append(safe)
    return "<br>".join(parts) or "Nothing to show yet."


def _typing(manager: pygame_gui.UIManager) -> bool:
    """Whether a text entry has the keyboard, so keys are words and not commands."""
    focused = manager.get_focus_set()  # type: ignore[no-untyped-call]
    return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in focused or ())


def headless() -> bool:
    """Whether no display can be opened (no X11 or Wayland display on Linux)."""
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    if os.name == "posix" and os.uname().sysname != "Darwin":
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def show(widget: pygame_gui.core.UIElement, visible: bool) -> None:
    """Show or hide a widget (pygame_gui leaves these two untyped)."""
    if visible:
        widget.show()  # type: ignore[no-untyped-call]
    else:
        widget.hide()  # type: ignore[no-untyped-call]
