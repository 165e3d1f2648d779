"""Playing one turn of an exercise: the teams' sheets, the computer players, the record.

The turn is played by the same game loop as every game (:func:`engine.runner.play_game`),
with each team of people seated as a :class:`Scripted` player giving the orders of its
sheet, so an exercise turn is recorded, saved and replayed like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.ai.bot import Bot, Decision
from engine.ai.players import make_bots
from engine.core import Order, Rules
from engine.core.observation import Observation, observe
from engine.core.rng import Rng
from engine.exercise.sheets import Sheet
from engine.exercise.teams import Team
from engine.runner import GameRecord, Position, play_game
from engine.saves import Recorder, Replay
from engine.saves.recorder import HUMAN
from engine.saves.store import Autosave


class Scripted:
    """A seat that gives orders decided elsewhere: a team's sheet, a person at the view."""

    name = HUMAN

    def __init__(self, orders: Sequence[Order]) -> None:
        self.orders = tuple(orders)

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        return Decision(tuple(o for o in self.orders if o.actor == observation.actor))


def views(rules: Rules, position: Position, actors: Sequence[str]) -> dict[str, Observation]:
    """What each of ``actors`` sees at ``position``: what its sheet is checked against."""
    return {
        actor: observe(rules.spec, position.state, actor, position.last_events, position.previous)
        for actor in actors
    }


def seats(
    replay: Replay,
    teams: Mapping[str, Team],
    sheets: Mapping[str, Sheet],
    difficulty: str | None,
) -> dict[str, Bot]:
    """Who gives each actor's orders this turn: its team's sheet, or its computer player."""
    saved = replay.saved
    controllers = {a: k for a, k in saved.players.items() if k != HUMAN}
    bots: dict[str, Bot] = make_bots(replay.rules, replay.game.doctrine, controllers, difficulty)
    for sheet in sheets.values():
        orders = [o for given in sheet.orders.values() for o in given]
        for actor in teams[sheet.team].actors:
            bots[actor] = Scripted(orders)
    return bots


def play_turn(
    replay: Replay,
    teams: Mapping[str, Team],
    sheets: Mapping[str, Sheet],
    autosave: Autosave,
) -> GameRecord:
    """Play the next turn of the exercise in ``replay`` and save it."""
    saved = replay.saved
    position = replay.position(replay.last_turn + 1)
    bots = seats(replay, teams, sheets, saved.difficulty)
    recorder = Recorder(saved, autosave)
    return play_game(
        replay.rules, bots, seed=saved.seed, max_turns=1, on_turn=recorder, start=position
    )
