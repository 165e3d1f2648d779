"""Unit counters: NATO APP-6 / MIL-STD-2525D symbols from milsymbol, rendered once.

Each unit type names its 20-digit 2525D symbol in the ruleset.  The view changes only the
*standard identity* (digit 4) to say how the viewer regards the unit's owner: friend for
the viewer's side, hostile for a side it opposes, neutral otherwise; the control view,
which belongs to no side, regards the first side as friend.  milsymbol builds an SVG that
pygame rasterises; both are slow next to a frame, and its tables take a while to load, so
symbols are rendered on first use and cached by (symbol, height).
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Literal

import pygame

from engine.core.spec import GameSpec

Affiliation = Literal["friend", "hostile", "neutral"]

_IDENTITY_DIGIT: dict[Affiliation, str] = {"friend": "3", "hostile": "6", "neutral": "4"}
_FALLBACK = "10031000001100000000"
"""A land unit of no particular kind, for a symbol milsymbol does not accept."""


def affiliation(spec: GameSpec, viewer_side: str, owner: str) -> Affiliation:
    """How a viewer on ``viewer_side`` regards a unit of ``owner``."""
    side = spec.actor_by_id[owner].side
    if side == viewer_side:
        return "friend"
    opposed = next((s.opposes for s in spec.sides if s.id == viewer_side), frozenset())
    return "hostile" if side in opposed else "neutral"


def with_identity(symbol: str, identity: Affiliation) -> str:
    """``symbol`` with its standard identity set to ``identity``."""
    return symbol[:3] + _IDENTITY_DIGIT[identity] + symbol[4:]


@lru_cache(maxsize=512)
def counter(symbol: str, height: int) -> pygame.Surface:
    """The counter for a 2525D ``symbol``, about ``height`` pixels high."""
    from milsymbol import Symbol  # its tables load on first use, never at import

    drawn = Symbol(symbol, size=max(8, round(height * 0.62)))
    if not drawn.is_valid():
        drawn = Symbol(_FALLBACK, size=max(8, round(height * 0.62)))
    image = pygame.image.load(io.BytesIO(drawn.as_svg().encode("utf-8")), "counter.svg")
    if image.get_height() > height:
        width = max(1, round(image.get_width() * height / image.get_height()))
        image = pygame.transform.smoothscale(image, (width, height))
    return image.convert_alpha() if pygame.display.get_surface() is not None else image
