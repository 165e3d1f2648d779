"""Golden doctrine cases: one YAML file per behaviour under ``tests/cases/doctrine/``.

Each case quotes the rule of ``doctrines/redline.yaml`` it checks (its actor, id and
``explain`` line, verified against the file, so a rule that is reworded or removed must
have its case reviewed), changes a few facts of the default scenario's opening position,
and says what that actor's doctrine bot must decide from its observation. The format::

    rule:                         # the doctrine rule the case checks, quoted
      actor: russia
      id: hold_back_at_the_tripwire
      explain: "Russia holds back: ... {credibility.europe} ..."
    description: <why the expected decision is what it is>
    difficulty: hard              # optional (hard: three actions, no blunders)
    seed: 1                       # optional: the bot's generator seed
    setup:                        # all optional; see tests/ai/doctrine_support.position
      turn: 5
      units: {unit: {type, owner, area, strength}}   # change a unit, or add one
      remove: [unit, ...]
      tracks: {track: {scope: value}}
      rungs: {theater: rung}
      budgets: {actor: value}
      flags: {flag: true or false}
      red_lines: {red_line: {status, since, crossed_turn, crossed_by}}
    expect:
      action: an action id, or a list of them: the first action the bot orders
      target: optional, likewise for its target
      reason: the first reason line, exactly (the quoted explain, filled in)
      not_chosen: [action, ...]   # actions no order of the decision may take

The first reason line must also be the quoted ``explain`` filled in from the actor's
observation: the case checks the rule it quotes, not merely some rule that says the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.ai.doctrine import explain
from engine.core import TakeAction
from engine.core.board import Board
from engine.core.observation import observe
from engine.core.rng import Rng
from tests.ai.doctrine_support import bot_for, default_game, default_rules, position

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "doctrine"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))

TOP_KEYS = {"rule", "description", "difficulty", "seed", "setup", "expect"}
RULE_KEYS = {"actor", "id", "explain"}
SETUP_KEYS = {"turn", "units", "remove", "tracks", "rungs", "budgets", "flags", "red_lines"}
EXPECT_KEYS = {"action", "target", "reason", "not_chosen"}


def _words(text: str) -> str:
    return " ".join(text.split())


def _one_of(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def load_case(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        case = yaml.safe_load(handle)
    assert isinstance(case, dict), f"{path.name}: a case is a mapping"
    assert set(case) <= TOP_KEYS, f"{path.name}: unknown keys {set(case) - TOP_KEYS}"
    assert set(case.get("rule") or {}) == RULE_KEYS, f"{path.name}: quote actor, id, explain"
    assert set(case.get("setup") or {}) <= SETUP_KEYS, f"{path.name}: unknown setup keys"
    expect = case.get("expect") or {}
    assert set(expect) <= EXPECT_KEYS, f"{path.name}: unknown expect keys"
    assert {"action", "reason"} <= set(expect), f"{path.name}: expect an action and a reason"
    return case


def test_there_are_golden_doctrine_cases() -> None:
    assert len(CASE_FILES) >= 5
    quoted = {(c["rule"]["actor"], c["rule"]["id"]) for c in map(load_case, CASE_FILES)}
    # The behaviours the doctrine exists for each have a case.
    assert ("russia", "hold_back_at_the_tripwire") in quoted  # backing down beats probing
    assert ("us", "enforce_dprk_eez_strike") in quoted  # a crossed red line is enforced
    assert ("russia", "probe_baltic_while_asia_burns") in quoted  # opportunism elsewhere
    assert ("china", "pressure_while_us_in_europe") in quoted  # ... and in the other theater


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_doctrine_case(path: Path) -> None:
    case = load_case(path)
    game, rules = default_game(), default_rules()
    spec = game.spec
    assert game.doctrine is not None
    quote = case["rule"]
    actor = quote["actor"]
    plan = game.doctrine.actors[actor]
    rules_by_id = {rule.id: rule for rule in plan.rules}
    assert quote["id"] in rules_by_id, f"{path.name}: {actor} has no rule {quote['id']!r}"
    template = rules_by_id[quote["id"]].explain
    assert _words(quote["explain"]) == _words(template), (
        f"{path.name}: the quoted explain is not the rule's: {template!r}"
    )

    setup = case.get("setup") or {}
    state = position(spec, **setup)
    seen = observe(spec, state, actor)
    bot = bot_for(actor, case.get("difficulty", "hard"))
    decision = bot.decide(seen, rules, Rng.from_seed(case.get("seed", 1)))

    expect = case["expect"]
    assert decision.reasons, f"{path.name}: the bot gave no reason"
    assert decision.reasons[0] == expect["reason"]
    assert explain(template, Board(spec, seen.state)) == expect["reason"], (
        f"{path.name}: the expected reason is not the quoted rule's explain filled in"
    )
    actions = [o for o in decision.orders if isinstance(o, TakeAction)]
    assert actions, f"{path.name}: the bot took no action"
    first = actions[0]
    assert first.action in _one_of(expect["action"]), f"{path.name}: chose {first.text()}"
    if "target" in expect:
        assert first.target in _one_of(expect["target"]), f"{path.name}: chose {first.text()}"
    taken = {o.action for o in actions}
    forbidden = taken & set(expect.get("not_chosen", ()))
    assert not forbidden, f"{path.name}: the bot also chose {sorted(forbidden)}"
