"""Recording a game as it is played, into a save written after every turn."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from engine.ai.bot import Bot
from engine.content import LoadedGame
from engine.core import GameState
from engine.runner import TurnRecord
from engine.saves.game import Content, SavedGame, SavedTurn

HUMAN = "human"


def players_of(bots: Mapping[str, Bot], humans: frozenset[str] = frozenset()) -> dict[str, str]:
    """Who plays each actor, as a save records it: ``human`` or the computer player's kind
    (``doctrine``, ``search``, ``random``), which is all a resumed game needs to seat it."""
    return {
        actor: HUMAN if actor in humans else bot.name.split(":", 1)[0]
        for actor, bot in sorted(bots.items())
    }


def new_save(
    game: LoadedGame,
    seed: int,
    players: Mapping[str, str],
    difficulty: str | None = None,
) -> SavedGame:
    """An empty save for ``game``, embedding the content it was loaded from."""
    return SavedGame(
        scenario=game.spec.scenario_id,
        content=Content.from_sources(game.scenario_path, game.sources),
        seed=seed,
        players=dict(players),
        difficulty=difficulty,
    )


def saved_turn(record: TurnRecord) -> SavedTurn:
    return SavedTurn(
        turn=record.turn,
        date=record.date,
        orders=record.orders,
        events=record.events,
        digest=record.digest,
        reasons=record.reasons,
    )


class Recorder:
    """An ``on_turn`` callback for :func:`~engine.runner.play_game` that adds every turn to
    ``save`` and hands the save to ``write`` (an :class:`~engine.saves.store.Autosave`)."""

    def __init__(self, save: SavedGame, write: Callable[[SavedGame], None] | None = None) -> None:
        self.save = save
        self.write = write

    def __call__(self, record: TurnRecord, state: GameState) -> None:
        self.save.add_turn(saved_turn(record), state)
        if self.write is not None:
            self.write(self.save)
