"""Which orders the rules allow, and why not when they do not.

Every check returns an :class:`OrderResult` with a code and a reason written for the
player; nothing here raises for an illegal order or changes a state.  Orders are checked
against the state at the start of the turn (orders are simultaneous), in the order each
side gave them, so that a side cannot order one unit twice or overspend its budget.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from engine.core.board import Board
from engine.core.compiled import Context
from engine.core.orders import Attack, Move, Order, OrderCode, OrderResult, TakeAction
from engine.core.rules import ActionTerms, Rules
from engine.core.spec import ActionSpec, GameSpec
from engine.core.state import GameState, Unit


@dataclass(frozen=True, slots=True)
class Route:
    path: tuple[str, ...]
    """Origin first, destination last."""
    cost: int


def _enterable(rules: Rules, board: Board, unit: Unit, area: str) -> bool:
    rule = rules.spec.movement_by_domain.get(rules.spec.unit_type_by_id[unit.unit_type].domain)
    return rule is not None and rules.spec.area_by_id[area].kind in rule.area_kinds


def _has_hostiles(board: Board, area: str, actor: str) -> bool:
    return board.has_hostiles(area, actor)


def _may_enter(spec: GameSpec, unit: Unit, area: str) -> bool:
    target = spec.area_by_id[area]
    return spec.actor_by_id[unit.owner].may_enter(target.theater, target.offmap)


def _deployment_problem(spec: GameSpec, unit: Unit, area: str) -> str:
    if _may_enter(spec, unit, area):
        return ""
    return f"{unit.owner} forces may not deploy to {spec.area_by_id[area].theater} ({area})"


def _stops_in(spec: GameSpec, board: Board, unit: Unit, area: str) -> bool:
    """A land unit that enters an area a hostile actor holds goes no further this turn."""
    if spec.unit_type_by_id[unit.unit_type].domain != "land":
        return False
    holder = board.controller(area)
    return bool(holder) and spec.are_hostile(unit.owner, holder)


def reachable(rules: Rules, board: Board, unit: Unit) -> dict[str, Route]:
    """Every area the unit can reach this turn, with its cheapest route (ties by name)."""
    spec = rules.spec
    unit_type = spec.unit_type_by_id[unit.unit_type]
    rule = spec.movement_by_domain.get(unit_type.domain)
    if rule is None or unit_type.movement <= 0:
        return {}
    best: dict[str, Route] = {}
    frontier: list[tuple[int, tuple[str, ...]]] = [(0, (unit.area,))]
    while frontier:
        cost, path = heapq.heappop(frontier)
        here = path[-1]
        if here in best:
            continue
        best[here] = Route(path, cost)
        if here != unit.area and _stops_in(spec, board, unit, here):
            continue
        for neighbour, edge_kind in spec.neighbours[here]:
            step = rule.edge_costs.get(edge_kind)
            if step is None or neighbour in best or cost + step > unit_type.movement:
                continue
            if spec.area_by_id[neighbour].kind not in rule.area_kinds:
                continue
            if _has_hostiles(board, neighbour, unit.owner) or not _may_enter(spec, unit, neighbour):
                continue
            heapq.heappush(frontier, (cost + step, (*path, neighbour)))
    del best[unit.area]
    return best


def distance(rules: Rules, origin: str, target: str, limit: int) -> int | None:
    """Areas between two areas over any edge, or None beyond ``limit``."""
    if origin == target:
        return 0
    seen = {origin}
    layer = [origin]
    for steps in range(1, limit + 1):
        next_layer = []
        for area in layer:
            for neighbour, _ in rules.spec.neighbours[area]:
                if neighbour == target:
                    return steps
                if neighbour not in seen:
                    seen.add(neighbour)
                    next_layer.append(neighbour)
        layer = next_layer
    return None


@dataclass
class OrderChecker:
    """Checks one side's orders in sequence, remembering what earlier orders used up."""

    rules: Rules
    board: Board
    ordered_units: set[str] = field(default_factory=set)
    ordered_actions: set[tuple[str, str]] = field(default_factory=set)
    spent: dict[str, float] = field(default_factory=dict)
    _requirements: dict[tuple[str, str, str], bool] = field(default_factory=dict, repr=False)
    _revision: int = field(default=-1, repr=False)

    def check(self, order: Order) -> OrderResult:
        result, route = self._check(order)
        if result.ok:
            self._commit(order)
        return result if route is None else OrderResult(order, OrderCode.OK, route=route)

    def would_accept(self, order: Order) -> bool:
        """Whether ``order`` would be accepted now, without counting it as given."""
        return self._check(order)[0].ok

    def _commit(self, order: Order) -> None:
        if isinstance(order, Move):
            self.ordered_units.add(order.unit)
        elif isinstance(order, Attack):
            self.ordered_units.update(order.units)
        else:
            self.ordered_actions.add((order.actor, order.action))
            action = self.rules.spec.action_by_id[order.action]
            cost = self.rules.action_terms(action, order.target)[0]
            self.spent[order.actor] = self.spent.get(order.actor, 0.0) + cost

    def _check(self, order: Order) -> tuple[OrderResult, tuple[str, ...] | None]:
        def reject(code: OrderCode, reason: str) -> tuple[OrderResult, None]:
            return OrderResult(order, code, reason), None

        spec = self.rules.spec
        if self.board.finished:
            return reject(OrderCode.GAME_OVER, "the game is over")
        if order.actor not in spec.actor_by_id:
            return reject(OrderCode.UNKNOWN_ACTOR, f"there is no actor '{order.actor}'")
        if isinstance(order, TakeAction):
            return self._check_action(order), None
        units = (order.unit,) if isinstance(order, Move) else order.units
        for unit_id in units:
            unit = self.board.units.get(unit_id)
            if unit is None:
                return reject(OrderCode.UNKNOWN_UNIT, f"there is no unit '{unit_id}'")
            if unit.owner != order.actor:
                return reject(OrderCode.NOT_YOURS, f"{unit_id} belongs to {unit.owner}")
            if units.count(unit_id) > 1:
                return reject(OrderCode.ALREADY_ORDERED, f"{unit_id} is listed twice")
            if unit_id in self.ordered_units:
                return reject(OrderCode.ALREADY_ORDERED, f"{unit_id} already has an order")
        if isinstance(order, Move):
            return self._check_move(order, self.board.units[order.unit])
        return self._check_attack(order), None

    def _check_move(self, order: Move, unit: Unit) -> tuple[OrderResult, tuple[str, ...] | None]:
        spec = self.rules.spec
        for area in (*order.via, order.destination):
            if area not in spec.area_by_id:
                return OrderResult(
                    order, OrderCode.UNKNOWN_AREA, f"there is no area '{area}'"
                ), None
        unit_type = spec.unit_type_by_id[unit.unit_type]
        if unit_type.movement <= 0 or unit_type.domain not in spec.movement_by_domain:
            return OrderResult(
                order, OrderCode.CANNOT_MOVE, f"{unit.id} ({unit_type.name}) cannot move"
            ), None
        if order.destination == unit.area:
            return OrderResult(
                order, OrderCode.NO_ROUTE, f"{unit.id} is already in {unit.area}"
            ), None
        if order.via:
            return self._check_route(order, unit, (unit.area, *order.via, order.destination))
        routes = reachable(self.rules, self.board, unit)
        route = routes.get(order.destination)
        if route is not None:
            return OrderResult(order, OrderCode.OK), route.path
        problem = _deployment_problem(spec, unit, order.destination)
        if problem:
            return OrderResult(order, OrderCode.NOT_DEPLOYABLE, problem), None
        if _has_hostiles(self.board, order.destination, unit.owner):
            return OrderResult(
                order,
                OrderCode.ENEMY_PRESENT,
                f"{order.destination} holds hostile forces: attack it instead",
            ), None
        if not _enterable(self.rules, self.board, unit, order.destination):
            kind = spec.area_by_id[order.destination].kind
            return OrderResult(
                order,
                OrderCode.NO_ROUTE,
                f"{unit_type.domain} units cannot enter {kind} area {order.destination}",
            ), None
        return OrderResult(
            order,
            OrderCode.TOO_FAR,
            f"{order.destination} is beyond {unit.id}'s reach this turn "
            f"(movement {unit_type.movement})",
        ), None

    def _check_route(
        self, order: Move, unit: Unit, path: tuple[str, ...]
    ) -> tuple[OrderResult, tuple[str, ...] | None]:
        spec = self.rules.spec
        unit_type = spec.unit_type_by_id[unit.unit_type]
        rule = spec.movement_by_domain[unit_type.domain]
        cost = 0
        for here, there in pairwise(path):
            edge = spec.edge_kind(here, there)
            if edge is None:
                return OrderResult(
                    order, OrderCode.NO_ROUTE, f"{here} and {there} are not adjacent"
                ), None
            step = rule.edge_costs.get(edge)
            if step is None:
                return OrderResult(
                    order,
                    OrderCode.NO_ROUTE,
                    f"{unit_type.domain} units cannot cross the {edge} link {here}-{there}",
                ), None
            if spec.area_by_id[there].kind not in rule.area_kinds:
                return OrderResult(
                    order,
                    OrderCode.NO_ROUTE,
                    f"{unit_type.domain} units cannot enter "
                    f"{spec.area_by_id[there].kind} area {there}",
                ), None
            problem = _deployment_problem(spec, unit, there)
            if problem:
                return OrderResult(order, OrderCode.NOT_DEPLOYABLE, problem), None
            if here != path[0] and _stops_in(spec, self.board, unit, here):
                return OrderResult(
                    order,
                    OrderCode.NO_ROUTE,
                    f"{here} is held by {self.board.controller(here)}: a land unit entering it "
                    "stops there",
                ), None
            if _has_hostiles(self.board, there, unit.owner):
                return OrderResult(
                    order,
                    OrderCode.ENEMY_PRESENT,
                    f"{there} holds hostile forces: attack it instead",
                ), None
            cost += step
        if cost > unit_type.movement:
            return OrderResult(
                order,
                OrderCode.TOO_FAR,
                f"the route costs {cost} but {unit.id} moves {unit_type.movement}",
            ), None
        return OrderResult(order, OrderCode.OK), path

    def _check_attack(self, order: Attack) -> OrderResult:
        spec = self.rules.spec
        if order.target not in spec.area_by_id:
            return OrderResult(order, OrderCode.UNKNOWN_AREA, f"there is no area '{order.target}'")
        if not _has_hostiles(self.board, order.target, order.actor):
            return OrderResult(
                order,
                OrderCode.NO_ENEMY,
                f"{order.target} holds no forces hostile to {order.actor}",
            )
        for unit_id in order.units:
            unit = self.board.units[unit_id]
            unit_type = spec.unit_type_by_id[unit.unit_type]
            if unit_type.range <= 0:
                return OrderResult(
                    order, OrderCode.OUT_OF_RANGE, f"{unit_id} ({unit_type.name}) cannot attack"
                )
            if unit_type.range == 1:
                edge = spec.edge_kind(unit.area, order.target)
                rule = spec.movement_by_domain.get(unit_type.domain)
                in_reach = unit.area == order.target or (
                    edge is not None
                    and rule is not None
                    and edge in rule.edge_costs
                    and spec.area_by_id[order.target].kind in rule.area_kinds
                )
            else:
                in_reach = (
                    distance(self.rules, unit.area, order.target, unit_type.range) is not None
                )
            if not in_reach:
                return OrderResult(
                    order,
                    OrderCode.OUT_OF_RANGE,
                    f"{order.target} is out of {unit_id}'s reach from {unit.area} "
                    f"(range {unit_type.range})",
                )
        return OrderResult(order, OrderCode.OK)

    def _check_action(self, order: TakeAction) -> OrderResult:
        terms = action_terms_for(self.rules, order.actor, order.action, order.target)
        if terms.refusal is not None:
            return OrderResult(order, *terms.refusal)
        if (order.actor, order.action) in self.ordered_actions:
            return OrderResult(
                order, OrderCode.ALREADY_ORDERED, f"'{order.action}' can be taken once a turn"
            )
        if terms.target_refusal is not None:
            return OrderResult(order, *terms.target_refusal)
        available = self.board.budget(order.actor) - self.spent.get(order.actor, 0.0)
        if terms.cost > available + 1e-9:
            return OrderResult(
                order,
                OrderCode.NO_BUDGET,
                f"'{order.action}' costs {terms.cost:g}; {order.actor} has {available:g} left",
            )
        if not self._requirement_holds(order, terms.context):
            ctx = terms.context
            requirement = self.rules.requirement_text[order.action]
            for token, value in (
                ("$self", ctx.actor),
                ("$target", ctx.target),
                ("$theater", ctx.theater),
            ):
                requirement = requirement.replace(token, value or token)
            return OrderResult(
                order, OrderCode.PRECONDITION, f"'{order.action}' requires {requirement}"
            )
        return OrderResult(order, OrderCode.OK)

    def _requirement_holds(self, order: TakeAction, ctx: Context) -> bool:
        """The action's precondition now; kept until the board changes, unless it draws a
        chance or looks at what happened (a bot asks the same question many times a turn)."""
        requires = self.rules.action_requires[order.action]
        if order.action not in self.rules.steady_requirements:
            return requires(self.board, ctx)
        if self._revision != self.board.revision:
            self._requirements.clear()
            self._revision = self.board.revision
        key = (order.actor, order.action, order.target)
        holds = self._requirements.get(key)
        if holds is None:
            holds = self._requirements[key] = requires(self.board, ctx)
        return holds


def action_terms_for(rules: Rules, actor_id: str, action_id: str, target: str) -> ActionTerms:
    """What the rules allow of ``actor_id`` taking ``action_id`` on ``target`` whatever the
    moment, worked out once per game and kept in ``rules.action_checks`` (``actor_id`` is
    known: :meth:`OrderChecker._check` refuses unknown actors first)."""
    key = (actor_id, action_id, target)
    terms = rules.action_checks.get(key)
    if terms is None:
        terms = _work_out_terms(rules, actor_id, action_id, target)
        if action_id in rules.spec.action_by_id and target in rules.known_ids:
            # Kept only for ids the scenario knows: what players type cannot grow it.
            rules.action_checks[key] = terms
    return terms


def _work_out_terms(rules: Rules, actor_id: str, action_id: str, target: str) -> ActionTerms:
    spec = rules.spec
    action = spec.action_by_id.get(action_id)
    if action is None:
        refusal = (OrderCode.UNKNOWN_ACTION, f"there is no action '{action_id}'")
        return ActionTerms(refusal, None, 0.0, Context(actor=actor_id, target=target))
    unchecked = Context(actor=actor_id, target=target)
    actor = spec.actor_by_id[actor_id]
    if actor.role not in action.roles:
        refusal = (
            OrderCode.NOT_PERMITTED,
            f"'{action.id}' is not open to a {actor.role} such as {actor.id}",
        )
        return ActionTerms(refusal, None, 0.0, unchecked)
    problem = target_problem(rules, action, target)
    if (
        not problem
        and action.id in rules.needs_theater
        and not rules.action_theater(actor_id, action, target)
    ):
        problem = f"'{action.id}' concerns a theater: {actor_id} has no home theater"
    if not problem and action.target == "actor" and target == actor_id:
        # An action on an actor is about another actor, as legal_action_orders offers
        # it: reassuring or sanctioning oneself is not a move in the game.
        problem = f"'{action.id}' cannot target {actor_id} itself"
    if (
        not problem
        and action.target == "red_line"
        and spec.red_line_by_id[target].declared_by != actor_id
    ):
        declarer = spec.red_line_by_id[target].declared_by
        problem = f"'{target}' is {declarer}'s red line: only {declarer} can draw it"
    if problem:
        return ActionTerms(None, (OrderCode.BAD_TARGET, problem), 0.0, unchecked)
    if action.joint and actor_id not in spec.coalition_by_id[target].members:
        refusal = (OrderCode.NOT_PERMITTED, f"{actor_id} is not a member of {target}")
        return ActionTerms(None, refusal, 0.0, unchecked)
    context = action_context(rules, TakeAction(actor_id, action_id, target), action)
    return ActionTerms(None, None, rules.action_terms(action, target)[0], context)


def target_problem(rules: Rules, action: ActionSpec, target: str) -> str:
    """Why ``target`` does not suit ``action``, or an empty string when it does."""
    spec = rules.spec
    if action.target == "none":
        return f"'{action.id}' takes no target" if target else ""
    if not target:
        return f"'{action.id}' needs a target {action.target}"
    known = {
        "actor": spec.actor_by_id,
        "area": spec.area_by_id,
        "theater": {t.id: t for t in spec.theaters},
        "coalition": spec.coalition_by_id,
        "red_line": spec.red_line_by_id,
    }[action.target]
    if target not in known:
        kind = action.target.replace("_", " ")
        return (
            f"'{target}' is not an {kind}" if kind[0] in "aeiou" else f"'{target}' is not a {kind}"
        )
    return ""


def action_context(rules: Rules, order: TakeAction, action: ActionSpec) -> Context:
    return Context(
        actor=order.actor,
        target=order.target,
        theater=rules.action_theater(order.actor, action, order.target),
        cause=f"action:{order.actor}:{action.id}",
        scale=rules.action_terms(action, order.target)[1],
    )


def check_orders(rules: Rules, state: GameState, orders: Iterable[Order]) -> list[OrderResult]:
    """Check a batch of orders (any sides) against ``state``, each side's in the order given."""
    board = Board(rules.spec, state)
    checker = OrderChecker(rules, board)
    return [checker.check(order) for order in orders]


def legal_action_orders(rules: Rules, state: GameState, actor: str) -> list[TakeAction]:
    """Every action order ``actor`` could give now (alone), targets enumerated."""
    spec = rules.spec
    board = Board(spec, state)
    role = spec.actor_by_id[actor].role
    checker = OrderChecker(rules, board)
    found: list[TakeAction] = []
    for action in rules.actions_by_role.get(role, ()):
        for target in action_targets(spec, action, actor):
            order = TakeAction(actor, action.id, target)
            if checker.would_accept(order):
                found.append(order)
    return found


def action_targets(spec: GameSpec, action: ActionSpec, actor: str) -> list[str]:
    """Every target ``actor`` could name for ``action`` (an empty one for an action that
    takes none): other actors, any area, coalition or theater, and its own red lines."""
    match action.target:
        case "none":
            return [""]
        case "actor":
            return [a.id for a in spec.actors if a.id != actor]
        case "area":
            return [a.id for a in spec.areas]
        case "coalition":
            return [c.id for c in spec.coalitions]
        case "red_line":
            return [r.id for r in spec.red_lines if r.declared_by == actor]
        case _:
            return [t.id for t in spec.theaters]
