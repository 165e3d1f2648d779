"""What one actor may see: the first piece of per-side views.

Private red lines are known only to the actor that drew them, so their definitions, their
status and the events of their life are filtered out of every other actor's view.
"""

from __future__ import annotations

from engine.core.events import Event, RedLineChanged
from engine.core.spec import GameSpec, RedLineSpec
from engine.core.state import GameState, RedLineState


def can_see_event(event: Event, actor: str) -> bool:
    """Whether ``actor`` may see ``event``; a private red line's steps only its declarer."""
    return not (isinstance(event, RedLineChanged) and event.private and event.declared_by != actor)


def visible_red_lines(
    spec: GameSpec, state: GameState, actor: str
) -> list[tuple[RedLineSpec, RedLineState]]:
    """The red lines ``actor`` knows of, with their status: public ones and its own."""
    return [
        (line, status)
        for line, status in zip(spec.red_lines, state.red_lines, strict=True)
        if line.visibility == "public" or line.declared_by == actor
    ]
