"""The orders one actor is writing for a turn, checked as they are given.

A person plays through this, at the terminal or in the map view: each order is checked at
once against the actor's *belief state* with the :class:`~engine.core.legality.OrderChecker`
the adjudicator uses (one order per unit, each action once, within the budget), so a
mistake is explained while the player is still looking at it.  The draft never touches the
game: the orders it holds are handed to the game loop when the turn ends.
"""

from __future__ import annotations

from engine.core import (
    Attack,
    Order,
    OrderResult,
    Rules,
    TakeAction,
    legal_action_orders,
    reachable,
)
from engine.core.board import Board
from engine.core.legality import OrderChecker, Route
from engine.core.observation import Observation
from engine.core.state import budget_of


class OrderDraft:
    """One actor's orders for the turn being played, each checked when given."""

    def __init__(self, rules: Rules, observation: Observation) -> None:
        self.rules = rules
        self.spec = rules.spec
        self.actor = observation.actor
        self.observation = observation
        self.state = observation.state
        self.board = Board(self.spec, self.state)
        self.choices: list[TakeAction] = legal_action_orders(rules, self.state, self.actor)
        """Every action order open to the actor this turn, as the numbered list shows them."""
        self.orders: list[Order] = []
        self.results: list[OrderResult] = []
        self.checker = OrderChecker(rules, self.board)

    @property
    def budget(self) -> float:
        return budget_of(self.spec, self.state, self.actor)

    @property
    def left(self) -> float:
        """The budget not yet committed by this turn's actions."""
        return self.budget - sum(self.checker.spent.values())

    def cost(self, order: TakeAction) -> float:
        return self.rules.action_terms(self.spec.action_by_id[order.action], order.target)[0]

    def add(self, order: Order) -> OrderResult:
        """Check ``order`` and keep it when it is accepted; the result says why not."""
        result = self.checker.check(order)
        if result.ok:
            self.orders.append(order)
            self.results.append(result)
        return result

    def remove(self, index: int) -> Order:
        """Drop the order at ``index`` (the last with -1) and check the others again."""
        dropped = self.orders.pop(index)
        self.checker = OrderChecker(self.rules, self.board)
        self.results = [self.checker.check(order) for order in self.orders]
        return dropped

    def destinations(self, unit_id: str) -> dict[str, Route]:
        """Where one of the actor's units may move this turn, with the route to each."""
        return reachable(self.rules, self.board, self.board.units[unit_id])

    def attack_targets(self, unit_id: str) -> list[str]:
        """The areas in sight holding hostile forces that ``unit_id`` may attack alone."""
        fresh = OrderChecker(self.rules, self.board)
        return [
            area.id
            for area in self.spec.areas
            if self.board.has_hostiles(area.id, self.actor)
            and fresh.would_accept(Attack(self.actor, area.id, (unit_id,)))
        ]

    def would_accept(self, order: Order) -> bool:
        """Whether ``order`` would be accepted next, without giving it."""
        return self.checker.would_accept(order)
