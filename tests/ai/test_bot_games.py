"""Whole seeded games of the default scenario under the computer players.

(b) Every order the doctrine bots (at each difficulty) and the random bot give is accepted:
    no ``order_rejected`` event in any turn, and every order result is OK. A bot checks its
    orders against its belief state, the game against the true one, so this is also a check
    that nothing the bots rely on is hidden from them.
(c) Seeded bot games are deterministic: the same digests (and reasons) twice in this
    process, and in fresh interpreters with other ``PYTHONHASHSEED`` values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from functools import cache

import pytest

from engine.ai.players import make_bots
from engine.ai.random_bot import RandomBot
from engine.core import TakeAction
from engine.runner import GameRecord, play_game
from tests.ai.doctrine_support import DEFAULT, ROOT, default_game, default_rules


def doctrine_game(seed: int, difficulty: str | None = None) -> GameRecord:
    rules = default_rules()
    return play_game(rules, make_bots(rules, default_game().doctrine, difficulty=difficulty),
                     seed=seed)


def random_game(seed: int) -> GameRecord:
    rules = default_rules()
    return play_game(rules, {a.id: RandomBot() for a in rules.spec.actors}, seed=seed)


def rejected(record: GameRecord) -> list[str]:
    found = [f"turn {t.turn}: {e.describe()}" for t in record.turns for e in t.events
             if e.kind == "order_rejected"]
    found += [f"turn {t.turn}: {r.order.text()} ({r.code.value}: {r.reason})"
              for t in record.turns for r in t.results if not r.ok]
    return found


@pytest.mark.parametrize(("difficulty", "seed"),
                         [("easy", 1), ("normal", 2), ("hard", 3), (None, 4)])
def test_every_doctrine_order_is_accepted(difficulty: str | None, seed: int) -> None:
    record = doctrine_game(seed, difficulty)
    assert len(record.turns) == default_rules().spec.turns
    assert rejected(record) == []
    # Not vacuous: every actor acted, and the bots gave many orders of every kind.
    acted = Counter(o.actor for t in record.turns for o in t.orders if isinstance(o, TakeAction))
    assert set(acted) == {a.id for a in default_rules().spec.actors}
    assert sum(acted.values()) >= 150


@pytest.mark.parametrize("seed", [1, 2])
def test_every_random_order_is_accepted(seed: int) -> None:
    record = random_game(seed)
    assert rejected(record) == []
    assert sum(len(t.orders) for t in record.turns) >= 300


def test_doctrine_bots_explain_every_action() -> None:
    record = doctrine_game(1)
    for turn in record.turns:
        actions = Counter(o.actor for o in turn.orders if isinstance(o, TakeAction))
        explained = Counter(actor for actor, _ in turn.reasons)
        for actor, count in actions.items():
            assert explained[actor] >= count, f"turn {turn.turn}: {actor} acts unexplained"
    assert all("{" not in reason for t in record.turns for _, reason in t.reasons)


def fingerprint(record: GameRecord) -> dict[str, object]:
    return {
        "digests": [t.digest for t in record.turns],
        "reasons": [[list(r) for r in t.reasons] for t in record.turns],
        "final": record.final.digest(),
    }


@cache
def reference(kind: str, seed: int) -> dict[str, object]:
    """The fingerprint of one game played in this process, kept for the other tests."""
    return fingerprint(doctrine_game(seed) if kind == "doctrine" else random_game(seed))


def test_seeded_doctrine_games_repeat() -> None:
    assert fingerprint(doctrine_game(7)) == reference("doctrine", 7)
    assert reference("doctrine", 8)["digests"] != reference("doctrine", 7)["digests"]


def test_seeded_random_games_repeat() -> None:
    assert fingerprint(random_game(7)) == reference("random", 7)


SCRIPT = """
import json, sys
from engine.ai.players import make_bots
from engine.ai.random_bot import RandomBot
from engine.content import load_game
from engine.core import Rules
from engine.runner import play_game

game = load_game(sys.argv[1])
rules = Rules(game.spec)
seed = int(sys.argv[2])
out = {}
for kind in ("doctrine", "random"):
    bots = (make_bots(rules, game.doctrine) if kind == "doctrine"
            else {a.id: RandomBot() for a in rules.spec.actors})
    record = play_game(rules, bots, seed=seed)
    out[kind] = {"digests": [t.digest for t in record.turns],
                 "reasons": [[list(r) for r in t.reasons] for t in record.turns],
                 "final": record.final.digest()}
print(json.dumps(out))
"""


def test_seeded_bot_games_repeat_in_other_processes() -> None:
    """Two fresh interpreters, with PYTHONHASHSEED 0 and 4242, play the same games."""
    running = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, str(DEFAULT), "7"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONHASHSEED": hash_seed}, cwd=ROOT)
        for hash_seed in ("0", "4242")
    ]
    here = {"doctrine": reference("doctrine", 7), "random": reference("random", 7)}
    for process in running:
        stdout, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr
        assert json.loads(stdout) == here
