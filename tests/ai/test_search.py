"""The search bot: legal, deterministic, sees only its observation, and finds the better move.

Most tests use the tutorial (small and fast). A crafted position puts a Russian brigade in
the Baltic States after the US tripwire there was crossed last turn: this turn is the US's
last chance to enforce it (with ``precision_strike`` or ``forward_deploy``), and failing
costs credibility and Polish assurance, so the search bot must respond, even when its
doctrine would rather make a statement.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.ai.bot import Decision
from engine.ai.doctrine import (
    ActorDoctrine,
    Candidate,
    Difficulty,
    DoctrineRule,
    DoctrineSet,
    Personality,
)
from engine.ai.players import UnknownBot, make_bots
from engine.ai.search import (
    SEARCH_LEVELS,
    TERMS,
    EvaluationWeights,
    Evaluator,
    SearchBot,
)
from engine.content import load_game
from engine.core import GameSpec, GameState, Rules, TakeAction, check_orders, initial_state
from engine.core.language import ALWAYS
from engine.core.observation import Observation, observe
from engine.core.rng import Rng
from engine.core.spec import defender_side
from engine.core.state import RedLineState
from engine.runner import bot_rng, play_game
from tests.core.support import place

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = {"precision_strike", "forward_deploy"}


def tutorial_doctrine() -> DoctrineSet:
    """A small doctrine for the tutorial: the US would rather talk than enforce."""
    steady = Personality("steady", {"aggressive": 1.0, "defensive": 1.0, "neutral": 1.0}, 2.0)
    levels = {name: Difficulty(name, 2, 0.0) for name in ("easy", "normal", "hard")}
    us = ActorDoctrine("us", "steady", (
        DoctrineRule("reassure", ALWAYS, (
            Candidate("statement", "poland", 10.0),
            Candidate("exercise", "", 2.0),
            Candidate("precision_strike", "", 0.5),
        )),
    ))
    russia = ActorDoctrine("russia", "steady", (
        DoctrineRule("probe", ALWAYS, (
            Candidate("snap_drill", "", 2.0),
            Candidate("disinformation", "any", 1.0),
        )),
    ))
    poland = ActorDoctrine("poland", "steady", (
        DoctrineRule("drill", ALWAYS, (Candidate("exercise", "", 1.0),)),
    ))
    return DoctrineSet("test", {"steady": steady}, levels,
                       {"us": us, "russia": russia, "poland": poland})


@pytest.fixture
def tripwire_crossed(tutorial_spec: GameSpec, tutorial_state: GameState) -> GameState:
    """Turn 2: a Russian brigade holds the Baltic States; the tripwire was crossed on turn 1."""
    state = place(
        tutorial_spec,
        tutorial_state,
        turn=2,
        units={"ru-76vdv": {"area": "baltics"}, "pl-15mech": {"area": "poland"}},
        control={"baltics": "russia"},
    )
    return dataclasses.replace(state, red_lines=(RedLineState("crossed", 1, 1, "russia"),))


def actions_of(orders: tuple[object, ...]) -> set[str]:
    return {o.action for o in orders if isinstance(o, TakeAction)}


# ------------------------------------------------------------------------------ legality


@pytest.mark.parametrize("level", sorted(SEARCH_LEVELS))
def test_a_whole_tutorial_game_gives_only_legal_orders(tutorial_rules: Rules, level: str) -> None:
    bots = make_bots(tutorial_rules, None, {"us": "search", "russia": "search"}, level)
    record = play_game(tutorial_rules, bots, seed=11)
    assert record.final.finished
    assert record.bots["us"] == f"search:{level}"
    rejected = [e.describe() for t in record.turns for e in t.events if e.kind == "order_rejected"]
    assert rejected == []
    assert any(actor == "us" and "against holding back" in reason
               for turn in record.turns for actor, reason in turn.reasons)


def test_orders_are_legal_with_a_doctrine(tutorial_rules: Rules) -> None:
    bots = make_bots(tutorial_rules, tutorial_doctrine(), {"us": "search"}, "easy")
    record = play_game(tutorial_rules, bots, seed=3)
    rejected = [e.describe() for t in record.turns for e in t.events if e.kind == "order_rejected"]
    assert rejected == []


def test_orders_on_the_default_scenario_are_legal_against_the_true_state() -> None:
    game = load_game(ROOT / "scenarios" / "default.yaml")
    rules = Rules(game.spec)
    state = initial_state(game.spec, 4)
    for actor in ("us", "china"):
        bot = SearchBot.for_actor(rules, game.doctrine, actor, "easy")
        decision = bot.decide(observe(game.spec, state, actor), rules, Rng.from_seed(1))
        results = check_orders(rules, state, decision.orders)
        assert [r.reason for r in results if not r.ok] == []
        assert len(decision.reasons) >= 1


# --------------------------------------------------------------------------- determinism


def test_the_same_generator_gives_the_same_decision(
    tutorial_rules: Rules, tripwire_crossed: GameState
) -> None:
    seen = observe(tutorial_rules.spec, tripwire_crossed, "us")
    bot = SearchBot.for_actor(tutorial_rules, tutorial_doctrine(), "us", "normal")
    first = bot.decide(seen, tutorial_rules, Rng.from_seed(42))
    again = SearchBot.for_actor(tutorial_rules, tutorial_doctrine(), "us", "normal").decide(
        seen, tutorial_rules, Rng.from_seed(42)
    )
    assert first == again


def test_a_seeded_game_with_search_bots_replays_the_same(tutorial_rules: Rules) -> None:
    def digests() -> list[str]:
        bots = make_bots(tutorial_rules, None, {"us": "search", "russia": "search"}, "easy")
        return [t.digest for t in play_game(tutorial_rules, bots, seed=8).turns]

    assert digests() == digests()


SEARCH_GAME = """
import json, sys
from engine.ai.players import make_bots
from engine.content import load_game
from engine.core import Rules
from engine.runner import play_game

rules = Rules(load_game(sys.argv[1]).spec)
bots = make_bots(rules, None, {"us": "search", "russia": "search"}, "easy")
record = play_game(rules, bots, seed=8)
print(json.dumps([t.digest for t in record.turns]))
"""


def test_search_games_are_the_same_in_any_process(tutorial_rules: Rules) -> None:
    """House rule 2: nothing the search bot does depends on PYTHONHASHSEED."""
    bots = make_bots(tutorial_rules, None, {"us": "search", "russia": "search"}, "easy")
    here = [t.digest for t in play_game(tutorial_rules, bots, seed=8).turns]
    for hash_seed in ("0", "977"):
        done = subprocess.run(
            [sys.executable, "-c", SEARCH_GAME, str(ROOT / "scenarios" / "tutorial.yaml")],
            capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == here


# ------------------------------------------------------------------------- good choices


@pytest.mark.parametrize("level", sorted(SEARCH_LEVELS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_enforces_a_crossed_red_line_on_the_last_turn_of_the_window(
    tutorial_rules: Rules, tripwire_crossed: GameState, level: str, seed: int
) -> None:
    seen = observe(tutorial_rules.spec, tripwire_crossed, "us")
    bot = SearchBot.for_actor(tutorial_rules, None, "us", level)
    decision = bot.decide(seen, tutorial_rules, Rng.from_seed(seed))
    assert actions_of(decision.orders) & RESPONSES
    first = decision.reasons[0]
    assert first.startswith("us takes ") and "against holding back" in first
    assert first.split(":")[0].removeprefix("us takes ").split(" ")[0] in RESPONSES


def test_it_overrules_a_doctrine_that_would_rather_talk(
    tutorial_rules: Rules, tripwire_crossed: GameState
) -> None:
    """The doctrine weighs a statement 20 times a strike; the rollouts say otherwise."""
    seen = observe(tutorial_rules.spec, tripwire_crossed, "us")
    doctrine = tutorial_doctrine()
    picks = [
        make_bots(tutorial_rules, doctrine, {}, "easy")["us"]
        .decide(seen, tutorial_rules, Rng.from_seed(seed))
        for seed in range(10)
    ]
    assert sum("statement" in actions_of(p.orders) for p in picks) >= 7
    bot = SearchBot.for_actor(tutorial_rules, doctrine, "us", "easy")
    decision = bot.decide(seen, tutorial_rules, Rng.from_seed(1))
    assert decision.orders[0] == TakeAction("us", "precision_strike", "")
    assert decision.reasons[0].startswith("us takes precision_strike: +")


def test_the_reason_names_the_action_its_advantage_and_the_rollouts(
    tutorial_rules: Rules, tripwire_crossed: GameState
) -> None:
    seen = observe(tutorial_rules.spec, tripwire_crossed, "us")
    decision = SearchBot.for_actor(tutorial_rules, None, "us", "hard").decide(
        seen, tutorial_rules, Rng.from_seed(1)
    )
    rollouts = SEARCH_LEVELS["hard"].rollouts
    assert decision.reasons[0].endswith(
        f"on its evaluation over {rollouts} rollouts against holding back"
    )
    advantage = float(decision.reasons[0].split(": ")[1].split(" ")[0])
    assert advantage > 5


# ------------------------------------------------------------------- only the observation


def test_it_decides_on_the_observation_alone(
    tutorial_spec: GameSpec, tutorial_rules: Rules, tripwire_crossed: GameState
) -> None:
    """Two true states that look the same to the US give the same decision.

    The second differs only in facts the US cannot see: a Russian brigade out of its
    sight, Russia's budget and the game's generator.
    """
    hidden = place(
        tutorial_spec,
        tripwire_crossed,
        units={"ru-spare": {"type": "armored_brigade", "owner": "russia",
                            "area": "western_russia"}},
        budgets={"russia": 99.0, "poland": 0.5},
        rng=123456789,
    )
    hidden = dataclasses.replace(
        hidden, units=tuple(u for u in hidden.units if u.id != "ru-6gta"),
    )
    seen = observe(tutorial_spec, tripwire_crossed, "us")
    also_seen = observe(tutorial_spec, hidden, "us")
    assert seen == also_seen, "the two states must look the same to the US"
    bot = SearchBot.for_actor(tutorial_rules, tutorial_doctrine(), "us", "normal")
    assert bot.decide(seen, tutorial_rules, Rng.from_seed(3)) == bot.decide(
        also_seen, tutorial_rules, Rng.from_seed(3)
    )


def test_it_is_given_only_an_observation_by_the_runner(tutorial_rules: Rules) -> None:
    """play_game hands the bot an Observation whose state is the belief, never the game's."""
    seen: list[Observation] = []
    bots = make_bots(tutorial_rules, None, {"us": "search"}, "easy")
    search = bots["us"]

    class Spy:
        name = search.name

        def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
            seen.append(observation)
            return search.decide(observation, rules, rng)

    bots["us"] = Spy()
    play_game(tutorial_rules, bots, seed=2, max_turns=2)
    assert seen and all(isinstance(o, Observation) and o.state.rng == 0 for o in seen)
    assert all(o.state.budgets[tutorial_rules.spec.actor_index["russia"]] == 0 for o in seen)


# --------------------------------------------------------------------- budget and levels


def test_levels_grow_in_cost() -> None:
    costs = [SEARCH_LEVELS[name].iterations for name in ("easy", "normal", "hard")]
    assert costs == sorted(costs) and len(set(costs)) == 3


def test_a_time_limit_stops_after_one_round(
    tutorial_rules: Rules, tripwire_crossed: GameState
) -> None:
    seen = observe(tutorial_rules.spec, tripwire_crossed, "us")
    bot = SearchBot.for_actor(tutorial_rules, None, "us", "hard", time_limit=0.0)
    decision = bot.decide(seen, tutorial_rules, Rng.from_seed(1))
    assert "over 1 rollouts" in decision.reasons[0]


def test_an_unknown_difficulty_is_refused_with_the_choices(tutorial_rules: Rules) -> None:
    with pytest.raises(UnknownBot, match="choose one of easy, normal, hard"):
        make_bots(tutorial_rules, None, {"us": "search"}, "heroic")


def test_without_a_difficulty_it_plays_at_normal(tutorial_rules: Rules) -> None:
    bot = make_bots(tutorial_rules, None, {"russia": "search"})["russia"]
    assert bot.name == "search:normal"


def test_a_finished_game_gets_no_orders(
    tutorial_rules: Rules, tutorial_state: GameState
) -> None:
    over = dataclasses.replace(tutorial_state, finished=True)
    bot = SearchBot.for_actor(tutorial_rules, None, "us", "easy")
    seen = observe(tutorial_rules.spec, over, "us")
    assert bot.decide(seen, tutorial_rules, bot_rng(1, "us", 1)).orders == ()


# ---------------------------------------------------------------------------- evaluation


def test_the_evaluation_mirrors_the_sides_on_the_default_scenario() -> None:
    spec = load_game(ROOT / "scenarios" / "default.yaml").spec
    assert defender_side(spec) == "blue"
    us, china = Evaluator(spec, "us"), Evaluator(spec, "china")
    start = initial_state(spec, 1)
    slots = spec.track_slots
    worse = list(start.tracks)
    worse[slots[("credibility", "asia")]] -= 10
    worse[slots[("assurance", "japan")]] -= 10
    worse[slots[("decoupled_allies", "")]] += 1
    changed = dataclasses.replace(
        start, tracks=tuple(worse), flags=(*start.flags, "deterrence_failed_asia")
    )
    for evaluator, sign in ((us, -1.0), (china, 1.0)):
        before, after = evaluator.breakdown(start), evaluator.breakdown(changed)
        for term in ("credibility", "assurance", "decoupling", "deterrence"):
            assert sign * (after[term] - before[term]) > 0, (evaluator.actor, term)
    assert list(us.breakdown(start)) == list(TERMS)
    higher = [r + 1 for r in us.rungs(start)]
    assert us.score(start, higher) < us.score(start)
    assert china.score(start, higher) < china.score(start)


def test_territory_counts_for_the_side_that_holds_it(
    tutorial_spec: GameSpec, tutorial_state: GameState
) -> None:
    taken = place(tutorial_spec, tutorial_state, control={"baltics": "russia"})
    us, russia = Evaluator(tutorial_spec, "us"), Evaluator(tutorial_spec, "russia")
    weight = EvaluationWeights().territory
    assert us.breakdown(taken)["territory"] == -weight
    assert russia.breakdown(taken)["territory"] == weight
    assert us.breakdown(tutorial_state)["territory"] == 0
