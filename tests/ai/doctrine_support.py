"""Helpers for the doctrine tests: the default scenario loaded once, and positions built on it.

Nothing here is a test. The default scenario and its doctrine (``doctrines/redline.yaml``)
are loaded once per process; positions are the scenario's opening state with a few facts
changed, built like the core tests build theirs (:func:`tests.core.support.place`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from engine.ai.doctrine import DoctrineBot
from engine.ai.players import doctrine_bot
from engine.content import load_game
from engine.content.loader import LoadedGame
from engine.core import GameSpec, GameState, Rules, initial_state
from engine.core.board import ESCALATION_TRACK
from engine.core.state import RedLineState
from tests.core.support import place

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "scenarios" / "default.yaml"


@cache
def default_game() -> LoadedGame:
    """The default scenario with its doctrine, loaded once."""
    return load_game(DEFAULT)


@cache
def default_rules() -> Rules:
    return Rules(default_game().spec)


def bot_for(actor: str, difficulty: str = "hard", rules: Rules | None = None,
            game: LoadedGame | None = None) -> DoctrineBot:
    """``actor``'s doctrine bot of the default scenario (hard: three actions, no blunders)."""
    game = game or default_game()
    rules = rules or default_rules()
    assert game.doctrine is not None, "the default scenario names its doctrine"
    bot = doctrine_bot(rules, game.doctrine, actor, difficulty)
    assert bot is not None, f"the default doctrine has no plan for {actor}"
    return bot


def position(
    spec: GameSpec,
    state: GameState | None = None,
    *,
    turn: int | None = None,
    units: Mapping[str, Mapping[str, Any]] | None = None,
    remove: tuple[str, ...] | list[str] = (),
    tracks: Mapping[str, Mapping[str, float]] | None = None,
    rungs: Mapping[str, str] | None = None,
    budgets: Mapping[str, float] | None = None,
    flags: Mapping[str, bool] | None = None,
    red_lines: Mapping[str, Mapping[str, Any]] | None = None,
) -> GameState:
    """The opening state (or ``state``) with the given facts changed.

    ``rungs`` maps a theater to a rung id of the ladder; ``flags`` maps a flag to whether it
    is set (flags not named keep their value); ``red_lines`` maps a red line to the fields of
    its :class:`RedLineState` to change (``status``, ``since``, ``crossed_turn``,
    ``crossed_by``). The other arguments are those of :func:`tests.core.support.place`.
    """
    base = state if state is not None else initial_state(spec)
    all_tracks: dict[str, dict[str, float]] = {k: dict(v) for k, v in (tracks or {}).items()}
    if rungs:
        assert spec.ladder is not None
        for theater, rung in rungs.items():
            all_tracks.setdefault(ESCALATION_TRACK, {})[theater] = spec.ladder.rungs.index(rung)
    flag_set = set(base.flags)
    for flag, is_set in (flags or {}).items():
        (flag_set.add if is_set else flag_set.discard)(flag)
    changed = place(spec, base, turn=turn, units=units, remove=remove, tracks=all_tracks,
                    budgets=budgets, flags=sorted(flag_set))
    if red_lines:
        known = {line.id for line in spec.red_lines}
        unknown = set(red_lines) - known
        assert not unknown, f"no such red lines: {sorted(unknown)}"
        statuses = [
            RedLineState(**{**status._asdict(), **red_lines.get(line.id, {})})
            for line, status in zip(spec.red_lines, changed.red_lines, strict=True)
        ]
        changed = dataclasses.replace(changed, red_lines=tuple(statuses))
    return changed
