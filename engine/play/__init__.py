"""Ways for a person to play: at the terminal now (``terminal``), the map view later.

Each is a :class:`~engine.ai.bot.Bot` for the person's actor, so that
:func:`engine.runner.play_game` drives every game, whoever plays it.
"""

from engine.play.terminal import TerminalPlayer, play_solo

__all__ = ["TerminalPlayer", "play_solo"]
