"""The random bot: a baseline that plays legally and without a plan.

Each turn it takes one random affordable action with some probability, attacks where one
of its units clearly outnumbers the defenders it can see, and now and then moves a unit
to a random friendly area. It is what every side plays when a scenario has no doctrine,
and the yardstick the doctrine and search bots are measured against.
"""

from __future__ import annotations

from engine.ai.bot import Decision
from engine.core import Attack, Move, Order, Rules, legal_action_orders, reachable
from engine.core.board import Board
from engine.core.legality import OrderChecker
from engine.core.observation import Observation
from engine.core.rng import Rng

ACTION_CHANCE = 0.6
MOVE_CHANCE = 0.25
ATTACK_ODDS = 1.5


class RandomBot:
    """Random legal actions, opportunistic attacks, occasional moves."""

    name = "random"

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision:
        spec = rules.spec
        actor = observation.actor
        state = observation.state
        orders: list[Order] = []
        if rng.chance(ACTION_CHANCE):
            options = legal_action_orders(rules, state, actor)
            if options:
                orders.append(rng.choice(options))
        board = Board(spec, state)
        checker = OrderChecker(rules, board)
        for unit in (u for u in state.units if u.owner == actor):
            unit_type = spec.unit_type_by_id[unit.unit_type]
            target = attack_target(rules, board, unit.area, unit.strength, actor, unit_type.range)
            attack = Attack(actor, target, (unit.id,))
            if target and checker.would_accept(attack):
                orders.append(attack)
            elif rng.chance(MOVE_CHANCE):
                friendly = sorted(
                    area
                    for area in reachable(rules, board, unit)
                    if not spec.area_by_id[area].offmap
                    and (
                        not board.controller(area)
                        or not spec.are_hostile(actor, board.controller(area))
                    )
                )
                if friendly:
                    orders.append(Move(actor, unit.id, rng.choice(friendly)))
        return Decision(tuple(orders))


def attack_target(
    rules: Rules,
    board: Board,
    area: str,
    strength: float,
    actor: str,
    reach: int,
    odds: float = ATTACK_ODDS,
) -> str:
    """An adjacent area whose visible hostile defenders this unit outnumbers by ``odds``."""
    if reach != 1:
        return ""
    for neighbour, defense in board.defended_neighbours(area, actor):
        if strength >= odds * defense:
            return neighbour
    return ""
