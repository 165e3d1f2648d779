"""Every shipped scenario and variant validates cleanly and plays a seeded game to the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.ai.players import make_bots
from engine.content import check_paths, load_game
from engine.core import Rules
from engine.runner import play_game

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_rules_and_scenarios_validate_without_errors_or_warnings() -> None:
    problems = check_paths([ROOT / "rules", ROOT / "scenarios"])
    assert [d.format() for d in problems] == []


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_plays_to_the_end(path: Path) -> None:
    game = load_game(path)
    spec = game.spec
    rules = Rules(spec)
    record = play_game(rules, make_bots(rules, game.doctrine), seed=5)
    assert record.final.finished
    assert len(record.turns) == spec.turns
    assert record.final.end_reason == "the last turn has been played"
    assert set(record.outcomes) == {o.id for o in spec.outcomes}
    rejected = [e.describe() for t in record.turns for e in t.events if e.kind == "order_rejected"]
    assert rejected == [], "the computer players give only legal orders"
