"""Games played headless and recorded as saves, shared by the saves tests.

Every game here is played the way ``redline run`` plays one: a computer player per actor
(``make_bots`` with the scenario's own controllers), a :class:`Recorder` as ``on_turn``.
Besides the save, a :class:`Played` keeps what the game loop itself produced (the record
and the state at the start of every turn), so a test can compare what a save gives back
with what was played rather than with what the save says of itself.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from engine.ai.bot import Bot
from engine.ai.players import make_bots
from engine.content import LoadedGame, load_game
from engine.core import GameState, Rules, initial_state
from engine.runner import GameRecord, Position, TurnRecord, play_game
from engine.saves import Recorder, Replay, SavedGame, new_save, players_of
from engine.saves.store import checksum

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
DEFAULT = ROOT / "scenarios" / "default.yaml"
SEED = 3


@cache
def loaded(scenario: Path) -> LoadedGame:
    """The scenario loaded from disk, once per process (a loaded game is never changed)."""
    return load_game(scenario)


@cache
def rules_of(scenario: Path) -> Rules:
    return Rules(loaded(scenario).spec)


def bots_for(game: LoadedGame, rules: Rules) -> dict[str, Bot]:
    """Fresh computer players, one per actor, as ``redline run`` seats them."""
    return make_bots(rules, game.doctrine, {}, None)


@dataclass(frozen=True)
class Played:
    """A game played from the start: its save, its record, and ``states[t]``, the state
    at the start of turn ``t`` for every turn up to the one after the last played."""

    scenario: Path
    saved: SavedGame
    record: GameRecord
    states: dict[int, GameState]

    @property
    def last_turn(self) -> int:
        return len(self.record.turns)

    def fresh_save(self) -> SavedGame:
        """A copy of the save that a test may change without touching the shared game."""
        return copy.deepcopy(self.saved)


def play(
    scenario: Path,
    seed: int = SEED,
    turns: int | None = None,
    write: Callable[[SavedGame], None] | None = None,
) -> Played:
    """Play ``scenario`` for ``turns`` turns (all of them by default), recording a save
    that ``write`` (an :class:`~engine.saves.Autosave`, say) is given after every turn."""
    game, rules = loaded(scenario), rules_of(scenario)
    bots = bots_for(game, rules)
    saved = new_save(game, seed, players_of(bots), None)
    recorder = Recorder(saved, write)
    states = {1: initial_state(game.spec, seed)}

    def on_turn(record: TurnRecord, state: GameState) -> None:
        recorder(record, state)
        states[state.turn] = state

    record = play_game(rules, bots, seed=seed, max_turns=turns, on_turn=on_turn)
    return Played(scenario, saved, record, states)


@cache
def recorded(scenario: Path, turns: int | None = None, seed: int = SEED) -> Played:
    """:func:`play`, once per process for each scenario, length and seed: the shared game
    must not be changed (use :meth:`Played.fresh_save`)."""
    return play(scenario, seed, turns)


def continue_game(
    replay: Replay, turn: int, on_turn: Callable[[TurnRecord, GameState], None] | None = None
) -> GameRecord:
    """Play ``replay`` on from the start of ``turn`` to its end, with fresh computer players
    built from the content the save embeds."""
    position: Position = replay.position(turn)
    bots = bots_for(replay.game, replay.rules)
    return play_game(
        replay.rules, bots, seed=replay.saved.seed, start=position, on_turn=on_turn
    )


def edit_document(path: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Change the JSON document of the (uncompressed) save at ``path`` with ``edit`` and
    write it back with its checksum recomputed, as a careful hand edit would."""
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    document["checksum"] = checksum(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def symbol(document: dict[str, Any], name: str) -> int:
    """The index of ``name`` in a save document's symbol table, added when missing."""
    names: list[str] = document["symbols"]
    if name not in names:
        names.append(name)
    return names.index(name)


PRIVATE_RED_LINE = """\
red_lines:
  kaliningrad_line:
    name: A private warning about Kaliningrad
    declared_by: us
    against: russia
    theater: europe
    crossed_when: {units: {side: red, area: kaliningrad}, ge: 1}
    response: [forward_deploy]
    window: 1
    visibility: private
"""
"""A tutorial overlay with a private US red line: Russia holds Kaliningrad from the start,
so the line is crossed in turn 1 and, unanswered, fails at the end of turn 2."""


def variant(folder: Path, name: str, base: Path, body: str) -> Path:
    """Write a variant scenario ``name`` in ``folder`` that extends ``base`` by a relative
    path (as the shipped variants do) with ``body`` added, and return its path."""
    path = folder / f"{name}.yaml"
    extends = Path(os.path.relpath(base, folder)).as_posix()
    path.write_text(f"extends: {extends}\nscenario: {name}\n{body}", encoding="utf-8")
    return path

