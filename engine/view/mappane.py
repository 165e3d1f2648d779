"""One theater on screen: the base map, who holds what, highlights, counters and names.

The pane draws a :class:`Scene`, which says what the viewer may see (a belief state, never
more), whose eyes it is seen through, and what is selected; it knows nothing of orders.
Counters are stacked per area and side, with the number of units and their total strength
under the stack; area names are placed where they collide neither with a stack nor with
another name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pygame

from engine.core import GameState, Unit
from engine.core.spec import AreaSpec, GameSpec
from engine.view import theme
from engine.view.basemap import Geography, TheaterMap
from engine.view.symbols import affiliation, counter, with_identity

STACK_SHOWN = 3
"""Counters drawn fanned out in a stack; the badge counts them all."""


@dataclass(frozen=True)
class Stack:
    """The units of one side in one area, as drawn: ``rect`` in window coordinates."""

    area: str
    side: str
    units: tuple[Unit, ...]
    rect: pygame.Rect


@dataclass
class Scene:
    """What the map shows: the state as the viewer sees it, and the viewer's selection."""

    state: GameState
    viewer_side: str
    selected_unit: str = ""
    move_targets: frozenset[str] = frozenset()
    attack_targets: frozenset[str] = frozenset()
    notes: dict[str, str] = field(default_factory=dict)
    """Short text to show at an area, such as why an order there was refused."""
    arrows: tuple[tuple[str, str, bool], ...] = ()
    """Orders to draw: ``(from area, to area, is an attack)``."""


def short_name(name: str) -> str:
    """``Western Europe (France, Benelux, Italy)`` -> ``Western Europe``."""
    return name.split(" (")[0]


def map_label(area: AreaSpec) -> str:
    """The name printed on the map: the area's ``label``, else its name without the part
    in brackets."""
    return area.label or short_name(area.name)


class MapPane:
    """One theater drawn in ``rect`` of the window."""

    def __init__(
        self,
        spec: GameSpec,
        theater: str,
        rect: pygame.Rect,
        geography: Geography,
        palette: theme.Palette,
    ) -> None:
        self.spec = spec
        self.theater = theater
        self.rect = rect
        self.palette = palette
        self.map = TheaterMap(spec, theater, rect.size, geography)
        self.areas = frozenset(
            a.id
            for a in spec.areas
            if (a.theater == theater and not a.offmap) or a.id in self.map.offmap_boxes
        )
        self.stacks: list[Stack] = []
        self._layout_key: object = None
        self.strip_top = self.map.map_rect.bottom
        """Where the off-map strip begins: map names and stacks stay above it."""
        self._layout_rects: list[pygame.Rect] = []
        height = rect.height
        self.counter_height = max(22, min(44, round(height * 0.05)))
        self.label_size = theme.scaled(15, _window_height())
        self.badge_size = theme.scaled(13, _window_height())

    # ------------------------------------------------------------------ drawing

    def draw(self, surface: pygame.Surface, scene: Scene) -> None:
        pane = surface.subsurface(self.rect)
        pane.blit(self.map.background, (0, 0))
        pane.blit(self.map.control_overlay(self._control_colours(scene.state)), (0, 0))
        if scene.move_targets:
            pane.blit(self.map.highlight(scene.move_targets, theme.MOVE_HIGHLIGHT), (0, 0))
        if scene.attack_targets:
            pane.blit(self.map.highlight(scene.attack_targets, theme.ATTACK_HIGHLIGHT), (0, 0))
        self._draw_box_titles(pane)
        self._draw_arrows(pane, scene.arrows)
        self.stacks = self._draw_stacks(pane, scene)
        taken = [s.rect.move(-self.rect.x, -self.rect.y) for s in self.stacks]
        self._draw_names(pane, taken)
        self._draw_notes(pane, scene.notes, taken)
        pygame.draw.rect(pane, theme.RULE, pane.get_rect(), 1)

    def _draw_arrows(self, pane: pygame.Surface, arrows: Sequence[tuple[str, str, bool]]) -> None:
        """The orders given so far, as arrows from the unit's area to where it goes."""
        for origin, destination, attack in arrows:
            if origin not in self.areas or destination not in self.areas:
                continue
            colour = theme.ATTACK_HIGHLIGHT if attack else theme.INK
            start = pygame.Vector2(self.map.anchor(origin))
            end = pygame.Vector2(self.map.anchor(destination))
            if start.distance_to(end) < 8:
                continue
            direction = (end - start).normalize()
            tip = end - direction * 6
            pygame.draw.line(pane, colour, start, tip, 4)
            side = direction.rotate(90) * 8
            back = tip - direction * 14
            pygame.draw.polygon(pane, colour, [end, back + side, back - side])

    def _control_colours(self, state: GameState) -> dict[str, theme.Color]:
        colours: dict[str, theme.Color] = {}
        for area, holder in zip(self.spec.areas, state.control, strict=True):
            if holder and area.id in self.areas:
                colours[area.id] = self.palette.actor(holder)
        return colours

    def _draw_box_titles(self, pane: pygame.Surface) -> None:
        for area_id, box in self.map.offmap_boxes.items():
            title = theme.text(map_label(self.spec.area_by_id[area_id]), self.badge_size)
            if title.get_width() > box.width - 6:
                title = theme.text(area_id, self.badge_size)
            pane.blit(title, (box.x + 4, box.y + 2))

    def _draw_stacks(self, pane: pygame.Surface, scene: Scene) -> list[Stack]:
        places = self._places(scene)
        layout = self._layout(scene.viewer_side, places)
        stacks: list[Stack] = []
        for (area, side, units), rect in zip(places, layout, strict=True):
            anchor = self.map.anchor(area)
            if not rect.collidepoint(anchor):
                pygame.draw.line(pane, theme.INK, anchor, rect.center, 1)
                pygame.draw.circle(pane, theme.INK, anchor, 3)
            drawn = self._draw_stack(pane, rect, units, scene)
            stacks.append(Stack(area, side, units, drawn.move(self.rect.topleft)))
        return stacks

    def _places(self, scene: Scene) -> list[tuple[str, str, tuple[Unit, ...]]]:
        """The stacks to draw: the units of each side in each area of the pane, the
        viewer's side first in an area, the strongest unit on top."""
        by_place: dict[tuple[str, str], list[Unit]] = {}
        actors = self.spec.actor_by_id
        for unit in scene.state.units:
            if unit.area in self.areas:
                by_place.setdefault((unit.area, actors[unit.owner].side), []).append(unit)
        order = sorted(
            by_place,
            key=lambda k: (self.spec.area_index[k[0]], k[1] != scene.viewer_side, k[1]),
        )
        return [
            (area, side, tuple(sorted(by_place[(area, side)], key=lambda u: (-u.strength, u.id))))
            for area, side in order
        ]

    def _layout(
        self, viewer_side: str, places: Sequence[tuple[str, str, tuple[Unit, ...]]]
    ) -> list[pygame.Rect]:
        """Where each stack goes: at its area's point, pushed apart from the others so that
        no two overlap (a line then leads back to the point).  Cached until the stacks
        change."""
        key = (viewer_side, tuple((a, s, len(u), u[0].unit_type) for a, s, u in places))
        if key == self._layout_key:
            return self._layout_rects
        rects: list[pygame.Rect] = []
        sides_at: dict[str, int] = {}
        for area, _side, _units in places:
            sides_at[area] = sides_at.get(area, 0) + 1
        seen: dict[str, int] = {}
        for area, _side, units in places:
            size = self._stack_size(units, viewer_side)
            x, y = self.map.anchor(area)
            index = seen.get(area, 0)
            seen[area] = index + 1
            dx = round((index - (sides_at[area] - 1) / 2) * (size[0] + 6))
            rects.append(pygame.Rect(0, 0, *size).move(x + dx - size[0] // 2, y - size[1] // 2))
        _separate(rects, pygame.Rect((0, 0), self.rect.size), self.strip_top)
        self._layout_key, self._layout_rects = key, rects
        return rects

    def _stack_size(self, units: Sequence[Unit], viewer_side: str) -> tuple[int, int]:
        images = [self._counter(u, viewer_side) for u in units[:STACK_SHOWN]]
        step = 4 * (len(images) - 1)
        badge = self._badge(units, False)
        width = max(max(i.get_width() for i in images) + step, badge.get_width())
        height = max(i.get_height() for i in images) + step + badge.get_height() + 1
        return (width, height)

    def _draw_stack(
        self, pane: pygame.Surface, rect: pygame.Rect, units: Sequence[Unit], scene: Scene
    ) -> pygame.Rect:
        shown = list(reversed(units[:STACK_SHOWN]))
        step = 4
        images = [self._counter(u, scene.viewer_side) for u in shown]
        width = max(i.get_width() for i in images) + step * (len(images) - 1)
        height = max(i.get_height() for i in images) + step * (len(images) - 1)
        left, top = rect.centerx - width // 2, rect.y
        for depth, (unit, image) in enumerate(zip(shown, images, strict=True)):
            offset = step * (len(images) - 1 - depth)
            spot = (left + offset, top + offset)
            pane.blit(image, spot)
            if unit.id == scene.selected_unit:
                box = image.get_rect(topleft=spot).inflate(6, 6)
                pygame.draw.rect(pane, theme.ACCENT, box, 3, border_radius=4)
        selected = any(u.id == scene.selected_unit for u in units[STACK_SHOWN:])
        badge = self._badge(units, selected)
        pane.blit(badge, (rect.centerx - badge.get_width() // 2, top + height + 1))
        return rect

    def _counter(self, unit: Unit, viewer_side: str) -> pygame.Surface:
        symbol = self.spec.unit_type_by_id[unit.unit_type].symbol
        identity = affiliation(self.spec, viewer_side, unit.owner)
        return counter(with_identity(symbol, identity), self.counter_height)

    def _badge(self, units: Sequence[Unit], selected: bool) -> pygame.Surface:
        strength = sum(u.strength for u in units)
        text = f"{len(units)} · {strength:.1f}".replace(".0", "")
        colour = theme.ACCENT if selected else self.palette.actor(units[0].owner)
        return _badge(text, self.badge_size, colour)

    def _draw_names(self, pane: pygame.Surface, taken: list[pygame.Rect]) -> None:
        """Each on-map area's name, at the first place near its stack that overlaps no
        stack and no other name: beside the stack, then a little further out, then in a
        smaller type.  A name with no free place is left out (the panels and a click on
        the area give it)."""
        bounds = pygame.Rect(0, 0, self.rect.width, self.strip_top)
        for area in sorted(self.areas, key=lambda a: self.spec.area_index[a]):
            spec_area = self.spec.area_by_id[area]
            if spec_area.offmap:
                continue
            x, y = self.map.anchor(area)
            stack = next((r for r in taken if r.collidepoint(x, y)), None)
            around = stack or pygame.Rect(x - 6, y - 6, 12, 12)
            for size in (self.label_size, max(9, self.label_size - 3)):
                label = _halo(map_label(spec_area), size)
                spot = next(
                    (
                        c
                        for c in _label_spots(around, label.get_rect())
                        if bounds.contains(c) and c.collidelist(taken) < 0
                    ),
                    None,
                )
                if spot is not None:
                    pane.blit(label, spot)
                    taken.append(spot)
                    break

    def _draw_notes(
        self, pane: pygame.Surface, notes: dict[str, str], taken: list[pygame.Rect]
    ) -> None:
        for area, text in notes.items():
            if area not in self.areas:
                continue
            label = _halo(text, self.label_size, fill=(255, 235, 235), ink=theme.BAD)
            x, y = self.map.anchor(area)
            spot = label.get_rect(midbottom=(x, y - self.counter_height // 2 - 4))
            pane.blit(label, spot.clamp(pane.get_rect()))

    # ------------------------------------------------------------------ picking

    def stack_at(self, pos: tuple[int, int]) -> Stack | None:
        """The stack under a window position, topmost first."""
        return next((s for s in reversed(self.stacks) if s.rect.collidepoint(pos)), None)

    def area_at(self, pos: tuple[int, int]) -> str | None:
        if not self.rect.collidepoint(pos):
            return None
        area = self.map.area_at(pos[0] - self.rect.x, pos[1] - self.rect.y)
        return area if area in self.areas else None

    def area_point(self, area: str) -> tuple[int, int]:
        """Where an area's stack stands, in window coordinates."""
        x, y = self.map.anchor(area)
        return (x + self.rect.x, y + self.rect.y)


def _label_spots(around: pygame.Rect, label: pygame.Rect) -> list[pygame.Rect]:
    """Places for a name around a stack, nearest first: above, below, right, left, the
    four corners, then the same a step further out."""
    spots = []
    for gap in (3, 3 + label.height):
        w, h = label.width, label.height
        cx, cy = around.centerx - w // 2, around.centery - h // 2
        for x, y in (
            (cx, around.top - gap - h),
            (cx, around.bottom + gap),
            (around.right + gap, cy),
            (around.left - gap - w, cy),
            (around.right + gap, around.top - h),
            (around.left - gap - w, around.top - h),
            (around.right + gap, around.bottom),
            (around.left - gap - w, around.bottom),
        ):
            spots.append(pygame.Rect(x, y, w, h))
    return spots


def _separate(rects: list[pygame.Rect], bounds: pygame.Rect, strip_top: int) -> None:
    """Push overlapping rectangles apart, a few pixels at a time, keeping each inside the
    map (above the off-map strip, unless it started in it)."""
    limits = [
        pygame.Rect(0, strip_top, bounds.width, bounds.height - strip_top)
        if r.centery >= strip_top
        else pygame.Rect(0, 0, bounds.width, strip_top)
        for r in rects
    ]
    for r, limit in zip(rects, limits, strict=True):
        r.clamp_ip(limit)
    for _ in range(60):
        moved = False
        for i, a in enumerate(rects):
            for b in rects[i + 1 :]:
                if not a.inflate(4, 4).colliderect(b):
                    continue
                dx = b.centerx - a.centerx
                dy = b.centery - a.centery
                if abs(dx) * a.height >= abs(dy) * a.width:
                    push = ((a.width + b.width) // 2 + 4 - abs(dx) + 1) // 2
                    step = (push if dx >= 0 else -push, 0)
                else:
                    push = ((a.height + b.height) // 2 + 4 - abs(dy) + 1) // 2
                    step = (0, push if dy >= 0 else -push)
                a.move_ip(-step[0], -step[1])
                b.move_ip(step[0], step[1])
                moved = True
        for r, limit in zip(rects, limits, strict=True):
            r.clamp_ip(limit)
        if not moved:
            return


@lru_cache(maxsize=1024)
def _badge(words: str, size: int, colour: theme.Color) -> pygame.Surface:
    """A stack's count and strength, white on the owner's colour."""
    label = theme.text(words, size, (255, 255, 255), bold=True)
    badge = pygame.Surface((label.get_width() + 8, label.get_height()), pygame.SRCALPHA)
    pygame.draw.rect(badge, (*colour, 235), badge.get_rect(), border_radius=6)
    badge.blit(label, (4, 0))
    return badge


@lru_cache(maxsize=1024)
def _halo(
    words: str,
    size: int,
    fill: theme.Color = (250, 248, 242),
    ink: theme.Color = theme.INK,
) -> pygame.Surface:
    """Text on a soft rounded plate, readable over any part of the map."""
    label = theme.text(words, size, ink, bold=True)
    plate = pygame.Surface((label.get_width() + 8, label.get_height() + 2), pygame.SRCALPHA)
    pygame.draw.rect(plate, (*fill, 215), plate.get_rect(), border_radius=5)
    plate.blit(label, (4, 1))
    return plate


def _window_height() -> int:
    surface = pygame.display.get_surface()
    return surface.get_height() if surface is not None else theme.BASE_HEIGHT


def panes_for(
    spec: GameSpec,
    theaters: Iterable[str],
    area: pygame.Rect,
    geography: Geography,
    palette: theme.Palette,
) -> list[MapPane]:
    """Side-by-side panes for ``theaters`` filling ``area``."""
    chosen = list(theaters)
    width = area.width // max(1, len(chosen))
    return [
        MapPane(
            spec,
            theater,
            pygame.Rect(area.x + i * width, area.y, width, area.height),
            geography,
            palette,
        )
        for i, theater in enumerate(chosen)
    ]
