"""The situation panel: credibility, the escalation ladders, allies' assurance, red lines
and coalitions, drawn as bars and ladders that read at a glance from the back of a room.

It shows a state as one viewer sees it (a belief state), or everything for the control
view; it never reads anything the caller did not give it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from engine.core import GameState
from engine.core.board import ESCALATION_TRACK
from engine.core.observation import visible_red_lines
from engine.core.spec import GameSpec, RedLineSpec, defender_side
from engine.core.state import RedLineState
from engine.view import theme
from engine.view.mappane import short_name


@dataclass(frozen=True)
class Viewpoint:
    """Whose eyes the panel sees through: an actor, or the control view (``actor == ""``)."""

    actor: str
    side: str


class SituationPanel:
    """Draws the situation of one state into a rectangle of the window."""

    def __init__(self, spec: GameSpec, palette: theme.Palette, height: int) -> None:
        self.spec = spec
        self.palette = palette
        self.heading_size = theme.scaled(17, height)
        self.text_size = theme.scaled(15, height)
        self.small_size = theme.scaled(13, height)
        self.row = theme.font(self.text_size).get_linesize() + 2

    def draw(
        self, surface: pygame.Surface, rect: pygame.Rect, state: GameState, view: Viewpoint
    ) -> None:
        pane = surface.subsurface(rect)
        pane.fill(theme.PAPER)
        y = 6
        y = self._credibility(pane, y, state)
        y = self._ladders(pane, y, state)
        y = self._assurance(pane, y, state, view)
        y = self._red_lines(pane, y, state, view)
        self._coalitions(pane, y)

    # ------------------------------------------------------------------ sections

    def _title(self, pane: pygame.Surface, y: int, text: str) -> int:
        pane.blit(theme.text(text, self.heading_size, bold=True), (8, y))
        y += theme.font(self.heading_size, bold=True).get_linesize()
        pygame.draw.line(pane, theme.RULE, (8, y), (pane.get_width() - 8, y))
        return y + 4

    def _track(self, state: GameState, track: str, scope: str) -> float | None:
        slot = self.spec.track_slots.get((track, scope))
        return None if slot is None else state.tracks[slot]

    def _bar(
        self,
        pane: pygame.Surface,
        y: int,
        label: str,
        value: float,
        bounds: tuple[float, float],
        colour: theme.Color,
    ) -> int:
        width = pane.get_width()
        label_width = round(width * 0.42)
        pane.blit(theme.text(label, self.text_size), (12, y))
        left, right = 12 + label_width, width - 56
        bar = pygame.Rect(left, y + 4, right - left, self.row - 10)
        pygame.draw.rect(pane, theme.PANEL, bar, border_radius=3)
        low, high = bounds
        share = 0.0 if high <= low else max(0.0, min(1.0, (value - low) / (high - low)))
        filled = pygame.Rect(bar.x, bar.y, round(bar.width * share), bar.height)
        pygame.draw.rect(pane, colour, filled, border_radius=3)
        number = theme.text(f"{value:.0f}", self.text_size)
        pane.blit(number, (width - 10 - number.get_width(), y))
        return y + self.row

    def _credibility(self, pane: pygame.Surface, y: int, state: GameState) -> int:
        track_id = self.spec.red_line_consequences.credibility_track or "credibility"
        track = self.spec.track_by_id.get(track_id)
        if track is None:
            return y
        y = self._title(pane, y, track.name)
        side = defender_side(self.spec)
        colour = self.palette.sides.get(side, theme.NEUTRAL)
        names = {t.id: t.name for t in self.spec.theaters}
        if track.scope == "actor":
            names = {a.id: short_name(a.name) for a in self.spec.actors if a.side == side}
        elif track.scope == "global":
            names = {"": track.name}
        for scope, name in names.items():
            value = self._track(state, track_id, scope)
            if value is not None:
                y = self._bar(pane, y, name, value, (track.minimum, track.maximum), colour)
        return y + 4

    def _ladders(self, pane: pygame.Surface, y: int, state: GameState) -> int:
        ladder = self.spec.ladder
        if ladder is None or ESCALATION_TRACK not in self.spec.track_by_id:
            return y
        y = self._title(pane, y, "Escalation ladder")
        width = pane.get_width()
        steps = len(ladder.names)
        for theater in self.spec.theaters:
            rung = int(self._track(state, ESCALATION_TRACK, theater.id) or 0)
            pane.blit(theme.text(theater.name, self.text_size), (12, y))
            name = theme.text(
                ladder.names[rung], self.text_size, _rung_colour(rung, steps), bold=True
            )
            pane.blit(name, (width - 10 - name.get_width(), y))
            y += self.row
            cell = (width - 24) / steps
            for index in range(steps):
                box = pygame.Rect(12 + round(index * cell), y, round(cell) - 2, 10)
                colour = _rung_colour(index, steps) if index <= rung else theme.PANEL
                pygame.draw.rect(pane, colour, box, border_radius=2)
            y += 16
        return y + 4

    def _assurance(self, pane: pygame.Surface, y: int, state: GameState, view: Viewpoint) -> int:
        track_id = self.spec.red_line_consequences.assurance_track or "assurance"
        track = self.spec.track_by_id.get(track_id)
        if track is None or track.scope != "actor":
            return y
        side = defender_side(self.spec)
        if view.actor and view.side != side and not track.public:
            return y
        leader = next((a.id for a in self.spec.actors if a.side == side), "")
        allies = [a for a in self.spec.actors if a.side == side and a.id != leader]
        if not allies:
            return y
        y = self._title(pane, y, f"{track.name} of allies")
        for ally in allies:
            value = self._track(state, track_id, ally.id)
            if value is not None:
                colour = theme.GOOD if value >= 50 else theme.WARN if value >= 35 else theme.BAD
                y = self._bar(
                    pane, y, short_name(ally.name), value, (track.minimum, track.maximum), colour
                )
        return y + 4

    def _red_lines(self, pane: pygame.Surface, y: int, state: GameState, view: Viewpoint) -> int:
        lines: list[tuple[RedLineSpec, RedLineState]] = (
            visible_red_lines(self.spec, state, view.actor)
            if view.actor
            else list(zip(self.spec.red_lines, state.red_lines, strict=True))
        )
        if not lines:
            return y
        y = self._title(pane, y, "Red lines")
        width = pane.get_width()
        for line, status in lines:
            word = {"crossed": "CROSSED", "inactive": "not drawn"}.get(status.status, status.status)
            tag = theme.text(word, self.small_size, (255, 255, 255), bold=True)
            plate = pygame.Rect(
                width - 14 - tag.get_width(), y + 2, tag.get_width() + 8, self.row - 4
            )
            pygame.draw.rect(
                pane, theme.RED_LINE_COLOURS.get(status.status, theme.MUTED), plate, border_radius=4
            )
            pane.blit(tag, (plate.x + 4, plate.y + 1))
            text = _fit(f"{line.name} ({line.declared_by})", self.text_size, plate.x - 20)
            pane.blit(text, (12, y))
            y += self.row
        return y + 4

    def _coalitions(self, pane: pygame.Surface, y: int) -> None:
        if not self.spec.coalitions or y > pane.get_height() - 3 * self.row:
            return
        y = self._title(pane, y, "Coalitions")
        for coalition in self.spec.coalitions:
            text = f"{coalition.name}: {', '.join(coalition.members)}"
            pane.blit(_fit(text, self.small_size, pane.get_width() - 20), (12, y))
            y += theme.font(self.small_size).get_linesize()
            if y > pane.get_height() - theme.font(self.small_size).get_linesize():
                return


def _rung_colour(index: int, steps: int) -> theme.Color:
    """Green at the bottom of the ladder, through amber, to red at the top."""
    share = index / max(1, steps - 1)
    low, mid, high = theme.GOOD, theme.WARN, theme.BAD
    a, b, t = (low, mid, share * 2) if share <= 0.5 else (mid, high, (share - 0.5) * 2)
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _fit(words: str, size: int, width: int) -> pygame.Surface:
    """``words`` rendered, shortened with an ellipsis to fit ``width``."""
    image = theme.text(words, size)
    while image.get_width() > width and len(words) > 4:
        words = words[:-2]
        image = theme.text(words.rstrip() + "…", size)
    return image
