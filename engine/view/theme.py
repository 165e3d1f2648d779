"""Colours, type sizes and the pygame_gui theme: one look for every screen of the view.

Sizes are given for a 1600×900 window and scaled with its height, so text stays readable
on a projector at any window size.  Sides take the colour their ruleset gives them, so a
side is the same colour on the map, on its counters and in every panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pygame

from engine.core.spec import GameSpec

Color = tuple[int, int, int]

ASSETS = Path(__file__).resolve().parents[2] / "assets"
GUI_THEME = ASSETS / "view" / "theme.json"

BASE_HEIGHT = 900
DEFAULT_SIZE = (1600, 900)

INK: Color = (33, 37, 41)
MUTED: Color = (96, 104, 112)
PAPER: Color = (244, 241, 234)
PANEL: Color = (232, 228, 219)
RULE: Color = (190, 184, 172)
ACCENT: Color = (204, 136, 0)
GOOD: Color = (46, 125, 50)
WARN: Color = (214, 120, 0)
BAD: Color = (183, 28, 28)
NEUTRAL: Color = (120, 120, 120)
MOVE_HIGHLIGHT: Color = (255, 196, 0)
ATTACK_HIGHLIGHT: Color = (220, 40, 40)

RED_LINE_COLOURS: dict[str, Color] = {
    "inactive": MUTED,
    "armed": GOOD,
    "crossed": WARN,
    "enforced": (25, 90, 170),
    "failed": BAD,
    "expired": MUTED,
    "retired": MUTED,
}


def hex_color(text: str, fallback: Color = NEUTRAL) -> Color:
    """``#2f6fb5`` as an RGB triple; the fallback for an empty or malformed value."""
    value = text.lstrip("#")
    if len(value) != 6:
        return fallback
    try:
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    except ValueError:
        return fallback


@dataclass(frozen=True)
class Palette:
    """The colour of each side and of each actor (its side's) in one game."""

    sides: dict[str, Color]
    actors: dict[str, Color]

    @classmethod
    def of(cls, spec: GameSpec) -> Palette:
        sides = {side.id: hex_color(side.color) for side in spec.sides}
        actors = {a.id: sides.get(a.side, NEUTRAL) for a in spec.actors}
        return cls(sides, actors)

    def actor(self, actor: str) -> Color:
        return self.actors.get(actor, NEUTRAL)


def scaled(size: int, height: int) -> int:
    """A size given for a 900-pixel-high window, at ``height``."""
    return max(8, round(size * height / BASE_HEIGHT))


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """Noto Sans (the face pygame_gui's theme uses) at ``size`` pixels."""
    import pygame_gui

    data = Path(pygame_gui.__file__).resolve().parent / "data"
    face = data / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    return pygame.font.Font(face if face.exists() else None, size)


@lru_cache(maxsize=8192)
def text(words: str, size: int, colour: Color = INK, bold: bool = False) -> pygame.Surface:
    """``words`` rendered in Noto Sans; cached, since the same labels are drawn every frame."""
    return font(size, bold).render(words, True, colour)
