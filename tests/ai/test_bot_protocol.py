"""The runner's side of the Bot protocol: a bot speaks only for its own actor."""

from __future__ import annotations

from engine.ai.bot import Decision
from engine.core import GameSpec, Rules, TakeAction
from engine.core.observation import Observation
from engine.core.rng import Rng
from engine.runner import play_game


class Impostor:
    """Sits in the US seat and orders a Russian action."""

    name = "impostor"

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        return Decision((TakeAction("russia", "snap_drill"), TakeAction("us", "exercise")))


class Idle:
    name = "idle"

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        return Decision(())


def test_orders_for_another_actor_are_dropped(
    tutorial_spec: GameSpec, tutorial_rules: Rules
) -> None:
    bots = {actor.id: Idle() for actor in tutorial_spec.actors}
    bots["us"] = Impostor()
    record = play_game(tutorial_rules, bots, max_turns=1)
    taken = [(e.actor, e.action) for e in record.turns[0].events if e.kind == "action_taken"]
    assert taken == [("us", "exercise")]
