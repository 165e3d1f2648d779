"""The default scenario's doctrine (``doctrines/redline.yaml``): complete, readable, and shaped
so that backing down wins.

- It validates on its own and with every shipped scenario that inherits it, and plans for
  every actor, with the personalities and difficulties the project promises.
- Every rule explains itself, and every ``{track.scope}`` in an explanation names a track
  the engine can fill in (the loader does not check them: a typo would print verbatim).
- For each adversary, whenever one of its back-down rules holds, none of its probes does,
  and the back-down rules come first (a property test over random positions).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.ai.doctrine import (
    ActorDoctrine,
    Candidate,
    Difficulty,
    DoctrineBot,
    DoctrineRule,
    Personality,
    explain,
)
from engine.content import check_paths, load_game
from engine.core import TakeAction, initial_state
from engine.core.board import Board
from engine.core.compiled import Context
from engine.core.language import ALWAYS
from engine.core.observation import observe
from engine.core.rng import Rng
from tests.ai.doctrine_support import ROOT, bot_for, default_game, default_rules, position

ADVERSARIES = ("russia", "china", "north_korea")
BACK_DOWN = re.compile(r"^(hold_back|back_off|lie_low)")
NOT_GATED = {("russia", "nuclear_shadow"), ("north_korea", "declare_the_force")}
"""Aggressive rules that are not probes: nuclear threats in a war Russia is already waging,
and North Korea's declaration after a test it has already made."""


def test_the_doctrine_file_validates_alone_and_in_every_scenario() -> None:
    problems = check_paths([ROOT / "doctrines", ROOT / "scenarios"])
    assert [d.format() for d in problems] == []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        if "extends: default.yaml" in path.read_text(encoding="utf-8"):
            assert load_game(path).doctrine is not None, f"{path.name} inherits the doctrine"


def test_every_actor_personality_and_difficulty() -> None:
    game = default_game()
    doctrine = game.doctrine
    assert doctrine is not None
    assert set(doctrine.actors) == {a.id for a in game.spec.actors}
    assert set(doctrine.personalities) == {"cautious", "opportunist", "risk_acceptant"}
    cautious, risky = doctrine.personalities["cautious"], doctrine.personalities["risk_acceptant"]
    assert cautious.stance_weights["aggressive"] < risky.stance_weights["aggressive"]
    assert cautious.stance_weights["defensive"] > risky.stance_weights["defensive"]
    assert cautious.attack_odds > doctrine.personalities["opportunist"].attack_odds
    assert doctrine.personalities["opportunist"].attack_odds > risky.attack_odds
    levels = {k: (v.actions, v.blunder) for k, v in doctrine.difficulties.items()}
    assert levels == {"easy": (1, 0.3), "normal": (2, 0.1), "hard": (3, 0.0)}
    assert doctrine.default_difficulty == "normal"
    assert {doctrine.actors[a].personality for a in ADVERSARIES} <= {"opportunist",
                                                                     "risk_acceptant"}


def test_every_rule_explains_itself_with_tracks_that_exist() -> None:
    game = default_game()
    assert game.doctrine is not None
    board = Board(game.spec, initial_state(game.spec))
    for actor, plan in game.doctrine.actors.items():
        assert plan.rules, f"{actor} has no rules"
        for rule in plan.rules:
            assert rule.explain.strip(), f"{actor}.{rule.id} has no explain line"
            filled = explain(rule.explain, board)
            assert "{" not in filled and "}" not in filled, f"{actor}.{rule.id}: {filled}"


@pytest.mark.parametrize("actor", ADVERSARIES)
def test_back_down_rules_outrank_every_probe(actor: str) -> None:
    bot = bot_for(actor)
    rules = bot.doctrine.rules
    back_down = [r for r in rules if BACK_DOWN.match(r.id)]
    probes = [r for r in rules if r.stance == "aggressive" and (actor, r.id) not in NOT_GATED]
    assert back_down and probes
    assert all(r.stance == "defensive" for r in back_down)
    assert min(r.priority for r in back_down) > max(r.priority for r in rules
                                                    if r not in back_down)


RUNGS = ("peacetime", "gray_zone", "crisis", "limited_conflict", "major_conflict")
STATUSES = ("armed", "crossed", "enforced", "failed")


@st.composite
def positions(draw: st.DrawFn) -> dict[str, Any]:
    """A random situation of the default scenario: the tracks, rungs, red lines and forces
    the adversaries' doctrines look at."""
    score = st.integers(min_value=20, max_value=90)
    return {
        "tracks": {
            "credibility": {"europe": draw(score), "asia": draw(score)},
            "opportunity": {"europe": draw(score), "asia": draw(score)},
            "tension": {"europe": draw(score), "asia": draw(score)},
        },
        "rungs": {"europe": draw(st.sampled_from(RUNGS)), "asia": draw(st.sampled_from(RUNGS))},
        "units": {
            "us-baltic-rot": {"strength": draw(st.sampled_from([1, 4]))},
            "us-csg-pac": {"area": draw(st.sampled_from(["conus", "philippine_sea"]))},
            "us-thaad-k": {"strength": draw(st.sampled_from([1, 2]))},
        },
        "flags": {"council_blocked": draw(st.booleans())},
        "red_lines": {line: {"status": draw(st.sampled_from(STATUSES))}
                      for line in ("nato_article5", "dprk_eez_strike", "senkaku_article5",
                                   "taiwan")},
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setup=positions())
def test_an_adversary_that_backs_down_never_probes(setup: dict[str, Any]) -> None:
    game = default_game()
    spec = game.spec
    state = position(spec, **setup)
    for actor in ADVERSARIES:
        bot = bot_for(actor)
        board = Board(spec, observe(spec, state, actor).state)
        ctx = Context(actor=actor, theater=spec.actor_by_id[actor].theater)
        holding = {r.id for r in bot.doctrine.rules if bot._conditions[r.id](board, ctx)}
        backing_down = {r for r in holding if BACK_DOWN.match(r)}
        assert len(backing_down) <= 1, f"{actor}: one reason to back down at a time"
        if backing_down:
            probes = {r.id for r in bot.doctrine.rules
                      if r.id in holding and r.stance == "aggressive"
                      and (actor, r.id) not in NOT_GATED}
            assert probes == set(), f"{actor} backs down ({backing_down}) yet probes {probes}"


def _two_rule_bot(aggressive: float, defensive: float) -> DoctrineBot:
    """One aggressive rule (priority 10) and one defensive rule (priority 5), one action."""
    personality = Personality("test", {"aggressive": aggressive, "defensive": defensive,
                                       "neutral": 1.0}, 3.0)
    plan = ActorDoctrine("russia", "test", (
        DoctrineRule("probe", ALWAYS, (Candidate("snap_exercise"),), 10, "aggressive", "probe"),
        DoctrineRule("quiet", ALWAYS, (Candidate("disinformation_campaign", "germany"),), 5,
                     "defensive", "quiet"),
    ))
    return DoctrineBot(plan, personality, Difficulty("one", 1, 0.0), default_rules())


def test_personality_stance_multipliers_change_decisions() -> None:
    """engine/ai/doctrine.py: "a multiplier per stance, which below 1 is the chance that the
    bot follows a firing rule of that stance rather than passing to the next one"."""
    spec = default_game().spec
    seen = observe(spec, initial_state(spec), "russia")
    rules = default_rules()

    def probes(bot: DoctrineBot) -> int:
        decisions = (bot.decide(seen, rules, Rng.from_seed(seed)) for seed in range(200))
        return sum(1 for d in decisions for o in d.orders
                   if isinstance(o, TakeAction) and o.action == "snap_exercise")

    bold, timid = probes(_two_rule_bot(5.0, 0.2)), probes(_two_rule_bot(0.2, 5.0))
    assert bold == 200
    assert 20 <= timid <= 60  # follows the aggressive rule about a fifth of the time
