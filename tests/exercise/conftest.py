"""Every exercise command loads the game again (the scenario from disk for ``facilitate``,
the content a save embeds for the others), and the default scenario takes a quarter of a
second to load.  A loaded game is a value that nothing changes, so within each module of
these tests ``load_game`` hands back the game it already built from the same texts:
the commands run exactly as they do for a user, only without parsing the same YAML again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import engine.content
import engine.saves.replay
from engine.content import LoadedGame
from engine.content.source import DISK, Files, MemoryFiles

_original = engine.content.load_game
_embedded: dict[tuple[str, tuple[tuple[str, str], ...]], LoadedGame] = {}
_on_disk: dict[str, LoadedGame] = {}


def _unchanged(game: LoadedGame) -> bool:
    """Whether every file ``game`` was built from still holds the text it was built from."""
    try:
        return all(
            Path(name).read_text(encoding="utf-8") == text for name, text in game.sources.items()
        )
    except OSError:
        return False


def load_game(path: str | Path, files: Files = DISK) -> LoadedGame:
    """``load_game``, once for each set of texts."""
    if isinstance(files, MemoryFiles):
        key = (str(path), tuple(sorted(files.texts.items())))
        if key not in _embedded:
            _embedded[key] = _original(path, files)
        return _embedded[key]
    if files is not DISK:
        return _original(path, files)
    name = str(Path(path).resolve())
    known = _on_disk.get(name)
    if known is None or not _unchanged(known):
        known = _on_disk[name] = _original(path, files)
    return known


@pytest.fixture(autouse=True, scope="module")
def games_loaded_once() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine.content, "load_game", load_game)
        patch.setattr(engine.saves.replay, "load_game", load_game)
        yield
