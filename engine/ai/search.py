"""The search bot: chooses its actions by playing the game forward from what it sees.

Not written yet: a later change adds rollouts over the actor's legal actions, scored by the
outcome measures. Until then asking for it is an error.
"""

from __future__ import annotations

from engine.ai.bot import Bot
from engine.ai.doctrine import DoctrineSet
from engine.core import Rules


class SearchBot:
    """Placeholder name space for the search bot; see the module docstring."""

    @staticmethod
    def for_actor(
        rules: Rules, doctrine: DoctrineSet | None, actor: str, difficulty: str | None
    ) -> Bot:
        raise NotImplementedError("the search bot is not available yet")
