"""Saved games: the format, atomic and checked storage, replay, branching and redaction.

This package does I/O (it reads and writes save files) and builds on :mod:`engine.content`
to rebuild a game from the content a save embeds; the rules themselves stay in the pure
:mod:`engine.core`.
"""

from engine.saves.game import FORMAT, FORMAT_VERSION, ControlRecord, Note, SavedGame, SavedTurn
from engine.saves.recorder import Recorder, new_save, players_of
from engine.saves.replay import Replay
from engine.saves.store import Autosave, read_save, write_save

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Autosave",
    "ControlRecord",
    "Note",
    "Recorder",
    "Replay",
    "SavedGame",
    "SavedTurn",
    "new_save",
    "players_of",
    "read_save",
    "write_save",
]
