"""The placeholder policy: a simple stand-in so that every side can be played headless.

It is deliberately naive and will be replaced by scripted doctrine and search bots: it
takes at most one random affordable action a turn, attacks where it has clear local
superiority, and otherwise shuffles units between friendly areas now and then.  It reads
the full state, which real bots must not do.
"""

from __future__ import annotations

from engine.core import Attack, GameState, Move, Order, Rules, legal_action_orders, reachable
from engine.core.board import Board
from engine.core.legality import OrderChecker
from engine.core.rng import Rng

ACTION_CHANCE = 0.6
MOVE_CHANCE = 0.25
ATTACK_ODDS = 1.5


class PlaceholderPolicy:
    """Random legal actions, opportunistic attacks, occasional moves."""

    name = "placeholder"

    def orders(self, rules: Rules, state: GameState, actor: str, rng: Rng) -> list[Order]:
        spec = rules.spec
        orders: list[Order] = []
        if rng.chance(ACTION_CHANCE):
            options = legal_action_orders(rules, state, actor)
            if options:
                orders.append(rng.choice(options))
        board = Board(spec, state)
        for unit in (u for u in state.units if u.owner == actor):
            unit_type = spec.unit_type_by_id[unit.unit_type]
            target = self._attack_target(
                rules, board, unit.area, unit.strength, actor, unit_type.range
            )
            attack = Attack(actor, target, (unit.id,))
            if target and OrderChecker(rules, board).check(attack).ok:
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
        return orders

    @staticmethod
    def _attack_target(
        rules: Rules, board: Board, area: str, strength: float, actor: str, reach: int
    ) -> str:
        """An adjacent area whose hostile defenders this unit outnumbers clearly."""
        if reach != 1:
            return ""
        spec = rules.spec
        for neighbour, _ in spec.neighbours[area]:
            defenders = board.hostile_units_in(neighbour, actor)
            if not defenders:
                continue
            defense = (
                sum(u.strength for u in defenders)
                * spec.terrain_by_id[spec.area_by_id[neighbour].terrain].defense
            )
            if strength >= ATTACK_ODDS * defense:
                return neighbour
        return ""
