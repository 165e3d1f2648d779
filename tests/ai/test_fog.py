"""A bot never sees what its side cannot (engine.core.observation, house rule: fog of war).

Hidden facts are planted in a position of the default scenario: a hostile unit far out of
sight, a hostile actor's budget and assurance (a track kept per actor), another actor's
private red line, and the events that would give them away. For an observer on each side
the test proves two things:

1. the observation (``observe``) of the position with the planted facts is *equal* to the
   observation of the same position without them, and the facts are absent from it;
2. a doctrine bot given either observation, with the same generator seed, decides exactly
   the same orders with the same reasons: both the scenario's own doctrine and a "nosy"
   doctrine whose every rule asks about one of the hidden facts.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from engine.ai.doctrine import ActorDoctrine, Candidate, Difficulty, DoctrineBot, DoctrineRule
from engine.content import load_game
from engine.content.loader import LoadedGame
from engine.core import GameState, Rules, initial_state
from engine.core import language as lang
from engine.core.events import (
    BudgetChanged,
    CombatResolved,
    Event,
    RedLineChanged,
    TrackChanged,
    UnitDestroyed,
    UnitMoved,
)
from engine.core.observation import Observation, areas_in_sight, observe
from engine.core.rng import Rng
from tests.ai.doctrine_support import DEFAULT, bot_for, position

VARIANT = f"""
extends: {DEFAULT}
scenario: fog_test
name: "Fog test: the default scenario with two private red lines"
red_lines:
  beijing_private_line:
    name: "China's private line: no declaration of Taiwanese independence"
    declared_by: china
    against: taiwan
    theater: asia
    crossed_when: {{flag: taiwan_independence}}
    response: [taiwan_blockade_drills]
    visibility: private
  washington_private_line:
    name: "A private US line: no massing in Belarus"
    declared_by: us
    against: russia
    theater: europe
    crossed_when: {{units: {{side: red, area: belarus}}, measure: strength, ge: 20}}
    response: [forward_deploy]
    visibility: private
"""

SEEDS = (1, 2, 3, 4, 5)

# Hidden from the red side: guam and the off-map boxes are out of its sight; the US budget,
# Polish assurance and the US private red line are not its to know.
HIDDEN_FROM_RED: dict[str, dict[str, Any]] = {
    "units": {
        "us-planted-guam": {"type": "armored_brigade", "owner": "us", "area": "guam",
                            "strength": 30},
        "us-1cd": {"strength": 0.5},  # a CONUS unit mauled: off-map, so out of sight
    },
    "budgets": {"us": 999.0, "poland": 77.0},
    "tracks": {"assurance": {"poland": 3.0, "japan": 97.0},
               "hedging": {"rok": 69.0}},
    "red_lines": {"washington_private_line": {"status": "crossed", "crossed_turn": 1,
                                              "crossed_by": "russia"}},
}
# Hidden from the blue side: crimea and the off-map boxes are out of its sight; Russia's
# budget, the red actors' own copies of per-actor tracks that the ruleset does not make
# public, and China's private red line are not its to know.
HIDDEN_FROM_BLUE: dict[str, dict[str, Any]] = {
    "units": {
        "ru-planted-far-east": {"type": "armored_brigade", "owner": "russia",
                                "area": "russian_far_east", "strength": 40},
        "ru-bastion": {"strength": 9.0},  # in Crimea, out of the blue side's sight
    },
    "budgets": {"russia": 999.0, "china": 0.0},
    "tracks": {"assurance": {"russia": 2.0, "north_korea": 99.0}},
    "red_lines": {"beijing_private_line": {"status": "crossed", "crossed_turn": 1,
                                           "crossed_by": "taiwan"}},
}


def hidden_events(turn: int) -> tuple[Event, ...]:
    """Events that would give the planted facts away, as if the last turn had raised them."""
    return (
        UnitMoved(turn, "movement", "order:us", "us-planted-guam", "us", ("hawaii", "guam")),
        UnitMoved(turn, "movement", "order:russia", "ru-planted-far-east", "russia",
                  ("western_russia", "russian_far_east")),
        BudgetChanged(turn, "upkeep", "upkeep:income", "us", 40.0, 999.0),
        BudgetChanged(turn, "upkeep", "upkeep:income", "russia", 6.0, 999.0),
        TrackChanged(turn, "triggers", "trigger:x", "assurance", "poland", 60.0, 3.0),
        TrackChanged(turn, "triggers", "trigger:x", "assurance", "russia", 40.0, 2.0),
        RedLineChanged(turn, "triggers", "red_line:washington_private_line",
                       "washington_private_line", "crossed", "us", "russia", True),
        RedLineChanged(turn, "triggers", "red_line:beijing_private_line",
                       "beijing_private_line", "crossed", "china", "taiwan", True),
    )


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> LoadedGame:
    path: Path = tmp_path_factory.mktemp("fog") / "fog_test.yaml"
    path.write_text(VARIANT, encoding="utf-8")
    return load_game(path)


@pytest.fixture(scope="module")
def rules(game: LoadedGame) -> Rules:
    return Rules(game.spec)


def positions(game: LoadedGame, hidden: dict[str, dict[str, Any]]) -> tuple[GameState, GameState]:
    """A mid-game position of the default scenario, and the same with ``hidden`` planted."""
    spec = game.spec
    plain = position(spec, initial_state(spec), turn=7,
                     tracks={"credibility": {"europe": 58.0, "asia": 52.0},
                             "tension": {"asia": 55.0}},
                     budgets={"russia": 20.0, "us": 60.0},
                     flags={"council_blocked": True})
    planted = position(spec, plain, units=hidden["units"], budgets=hidden["budgets"],
                       tracks=hidden["tracks"], red_lines=hidden["red_lines"])
    assert planted != plain
    return plain, planted


def test_planted_units_stand_out_of_sight(game: LoadedGame) -> None:
    spec = game.spec
    state = initial_state(spec)
    assert {"guam", "uk", "western_europe"}.isdisjoint(areas_in_sight(spec, state, "russia"))
    assert "crimea" not in areas_in_sight(spec, state, "us")


@pytest.mark.parametrize("observer", ["russia", "china", "north_korea"])
def test_red_observation_holds_nothing_hidden(game: LoadedGame, observer: str) -> None:
    spec = game.spec
    plain, planted = positions(game, HIDDEN_FROM_RED)
    events = hidden_events(plain.turn - 1)
    seen_plain = observe(spec, plain, observer, events)
    seen = observe(spec, planted, observer, events)
    assert seen == seen_plain
    belief = seen.state
    assert "us-planted-guam" not in {u.id for u in belief.units}
    assert "us-1cd" not in {u.id for u in belief.units}
    budgets = dict(zip((a.id for a in spec.actors), belief.budgets, strict=True))
    assert budgets["us"] == 0.0 and budgets["poland"] == 0.0
    slots = spec.track_slots
    assert belief.tracks[slots[("assurance", "poland")]] == spec.track_by_id["assurance"].default
    assert belief.tracks[slots[("hedging", "rok")]] == spec.track_by_id["hedging"].default
    index = [line.id for line in spec.red_lines].index("washington_private_line")
    assert belief.red_lines[index].status == "inactive"
    assert [e for e in seen.events
            if getattr(e, "unit", "") == "us-planted-guam"
            or getattr(e, "actor", "") == "us"
            or getattr(e, "scope", "") == "poland"
            or getattr(e, "red_line", "") == "washington_private_line"] == []


@pytest.mark.parametrize("observer", ["us", "poland", "japan", "taiwan"])
def test_blue_observation_holds_nothing_hidden(game: LoadedGame, observer: str) -> None:
    spec = game.spec
    plain, planted = positions(game, HIDDEN_FROM_BLUE)
    events = hidden_events(plain.turn - 1)
    seen = observe(spec, planted, observer, events)
    assert seen == observe(spec, plain, observer, events)
    belief = seen.state
    assert {"ru-planted-far-east", "ru-bastion"}.isdisjoint(u.id for u in belief.units)
    budgets = dict(zip((a.id for a in spec.actors), belief.budgets, strict=True))
    assert budgets["russia"] == 0.0
    slots = spec.track_slots
    assert belief.tracks[slots[("assurance", "russia")]] == spec.track_by_id["assurance"].default
    index = [line.id for line in spec.red_lines].index("beijing_private_line")
    assert belief.red_lines[index].status == "inactive"


@pytest.mark.parametrize("observer", ["russia", "china", "north_korea", "us", "uk", "japan",
                                      "rok", "ukraine", "taiwan", "philippines"])
@pytest.mark.parametrize("difficulty", ["easy", "hard"])
def test_doctrine_decides_the_same_without_the_hidden_facts(
    game: LoadedGame, rules: Rules, observer: str, difficulty: str
) -> None:
    spec = game.spec
    hidden = HIDDEN_FROM_RED if spec.actor_by_id[observer].side == "red" else HIDDEN_FROM_BLUE
    plain, planted = positions(game, hidden)
    events = hidden_events(plain.turn - 1)
    bot = bot_for(observer, difficulty, rules, game)
    for seed in SEEDS:
        without = bot.decide(observe(spec, plain, observer, events), rules, Rng.from_seed(seed))
        with_hidden = bot.decide(observe(spec, planted, observer, events), rules,
                                 Rng.from_seed(seed))
        assert with_hidden == without, f"seed {seed}"
    assert without.orders, "the position gives the doctrine something to do"


def _at_least(value: float) -> lang.Compare:
    return lang.Compare("ge", value)


def _at_most(value: float) -> lang.Compare:
    return lang.Compare("le", value)


NOSY_RULES = ("sees_us_armour_on_guam", "sees_the_us_budget", "sees_polish_assurance",
              "sees_the_private_us_line", "sees_mauled_conus_armour")


def nosy_russia(rules: Rules, game: LoadedGame) -> DoctrineBot:
    """A Russian doctrine whose every rule but the last asks about one hidden fact, each
    answered by a different action that is legal and affordable in the position."""
    base = bot_for("russia", "hard", rules, game)
    conditions: tuple[lang.Condition, ...] = (
        lang.UnitsIn(_at_least(1), actor="us", area="guam"),
        lang.BudgetIs("us", _at_least(500)),
        lang.TrackIs("assurance", "poland", _at_most(10)),
        lang.RedLineIs("washington_private_line", "crossed"),
        lang.All((  # the CONUS armour weakened (4.5 of 8), not merely unseen (0)
            lang.UnitsIn(_at_least(1), measure="strength", actor="us", area="conus",
                         unit_type="armored_brigade"),
            lang.UnitsIn(_at_most(5), measure="strength", actor="us", area="conus",
                         unit_type="armored_brigade"),
        )),
    )
    answers = (Candidate("snap_exercise"), Candidate("dprk_military_cooperation"),
               Candidate("energy_coercion", "poland"), Candidate("mobilise_reserves"),
               Candidate("airspace_violation"))
    nosy = (
        *(DoctrineRule(rule_id, condition, (answer,), priority=100, explain=rule_id)
          for rule_id, condition, answer in zip(NOSY_RULES, conditions, answers, strict=True)),
        DoctrineRule("always", lang.ALWAYS, (Candidate("disinformation_campaign", "germany"),),
                     explain="always"),
    )
    return DoctrineBot(ActorDoctrine("russia", base.personality.id, nosy), base.personality,
                       Difficulty("all", 10, 0.0), rules)


def test_a_nosy_doctrine_learns_nothing(game: LoadedGame, rules: Rules) -> None:
    spec = game.spec
    plain, planted = positions(game, HIDDEN_FROM_RED)
    bot = nosy_russia(rules, game)
    events = hidden_events(plain.turn - 1)
    # Handed the true state, the nosy rules would see every planted fact and act on it ...
    told = bot.decide(Observation("russia", planted, events), rules, Rng.from_seed(1))
    assert sorted(r for r in told.reasons if " " not in r) == sorted((*NOSY_RULES, "always"))
    # ... through the fog they see none of them, whatever the seed.
    for seed in SEEDS:
        without = bot.decide(observe(spec, plain, "russia", events), rules, Rng.from_seed(seed))
        with_hidden = bot.decide(observe(spec, planted, "russia", events), rules,
                                 Rng.from_seed(seed))
        assert with_hidden == without
        assert with_hidden.reasons[:1] == ("always",)
        assert set(NOSY_RULES).isdisjoint(with_hidden.reasons)
        assert [getattr(o, "action", "") for o in with_hidden.orders][:1] == [
            "disinformation_campaign"]


def test_a_public_track_is_seen_by_every_side() -> None:
    """Economic pressure is marked ``public`` in the ruleset (sanctions are announced):
    the US sees Russia's copy, unlike Russia's assurance."""
    spec = load_game(DEFAULT).spec
    start = initial_state(spec)
    slots = spec.track_slots
    tracks = list(start.tracks)
    tracks[slots[("economic_pressure", "russia")]] = 77.0
    tracks[slots[("assurance", "russia")]] = 11.0
    seen = observe(spec, dataclasses.replace(start, tracks=tuple(tracks)), "us").state
    assert seen.tracks[slots[("economic_pressure", "russia")]] == 77.0
    assert seen.tracks[slots[("assurance", "russia")]] == spec.track_by_id["assurance"].default


def test_what_was_in_sight_at_the_start_of_the_turn_was_witnessed() -> None:
    """A hostile unit destroyed in sight is gone from the end state, but its destruction
    was seen: with the turn's starting state the event is shown, without it it is not."""
    spec = load_game(DEFAULT).spec
    start = initial_state(spec)
    victim = next(u for u in start.units
                  if u.owner == "russia" and u.area == "kaliningrad")
    after = dataclasses.replace(start, turn=2,
                                units=tuple(u for u in start.units if u.id != victim.id))
    destroyed = UnitDestroyed(1, "combat", "combat:kaliningrad", victim.id, "russia",
                              "kaliningrad")
    assert observe(spec, after, "poland", (destroyed,)).events == ()
    assert observe(spec, after, "poland", (destroyed,), previous=start).events == (destroyed,)


def test_a_combat_is_seen_only_where_it_was_in_sight() -> None:
    """A combat out of sight of every unit of the observer's side is not news to it; one
    in sight is (its side's own combats are in sight: allies share a picture)."""
    spec = load_game(DEFAULT).spec
    start = initial_state(spec)
    sight = areas_in_sight(spec, start, "japan")
    far = next(a.id for a in spec.areas if not a.offmap and a.id not in sight)
    near = sorted(sight)[0]

    def combat(area: str) -> CombatResolved:
        return CombatResolved(1, "combat", f"combat:{area}", area, "red", ("taiwan",),
                              6.0, 3.0, "2:1", 4, 0.5, 1.0)

    seen = observe(spec, start, "japan", (combat(far), combat(near))).events
    assert seen == (combat(near),)
