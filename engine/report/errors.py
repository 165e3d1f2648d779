"""The one error a report raises: why it cannot be written, in a sentence a user can act on."""

from __future__ import annotations

from engine.errors import RedlineError


class ReportError(RedlineError):
    """The report cannot be built: a folder that cannot be made, an actor the game lacks."""
