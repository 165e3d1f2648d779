"""Adjudication: one turn of simultaneous orders in, the next state and its events out.

The order of resolution is fixed and documented here (and in the README):

1. Every order is checked against the state at the start of the turn (orders are
   simultaneous).  Rejected orders become ``order_rejected`` events and have no effect.
2. The ruleset's phases run in the order it lists them:

   * ``actions`` phases resolve the accepted action orders whose category the phase names.
     Actors go by ascending ``initiative`` (then id), each actor's orders in the order given.
     An action whose precondition or budget no longer holds when its turn comes is void.
   * ``movement`` moves every accepted move at once.  Units that were destroyed before
     moving stay gone, and units that an effect has already put elsewhere stay there;
     moves into an area that hostile units also enter, or that now holds hostile forces,
     bounce (the units stay put).  A land unit entering an area of a controllable kind
     with no hostile units takes control of it for its owner.  A land unit that enters an
     area a hostile actor holds stops there: no route passes through it.
   * ``combat`` resolves the accepted attacks, grouped by target area (in area order) and
     attacking side.  Surviving attackers' strength is compared with the defenders'
     strength times the terrain's defence factor; the ratio picks a column of the combat
     table and a die roll from the game's generator picks the row.  Losses are fractions
     of each side's strength, spread over its units in proportion.  If no defender
     survives, the attacking land units advance and the strongest attacking actor takes
     control.
   * ``triggers`` checks red lines (lapsing, crossing, enforcement), runs the triggers
     (see :mod:`engine.core.triggers`), then checks red lines again so that a crossing
     caused by a trigger is seen in the same phase.
   * ``upkeep`` adds each actor's income to its budget and lets decaying tracks drift a
     fraction of the way back toward their resting value.

   After movement, combat and upkeep the cross-theater opportunity tracks are recomputed
   (see :mod:`engine.core.linkage`).

3. Red lines whose response window closes this turn are settled (see
   :mod:`engine.core.redlines`); the turn counter advances; after the scenario's last turn
   the game ends.  A game that is already over stays as it is: its orders are rejected and
   nothing else happens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from engine.core.board import Board
from engine.core.events import (
    ActionTaken,
    ActionVoided,
    CombatResolved,
    Event,
    MoveBounced,
    OrderRejected,
)
from engine.core.legality import OrderChecker, action_context
from engine.core.linkage import update_linkage
from engine.core.orders import Attack, Move, Order, OrderResult, TakeAction, order_text
from engine.core.redlines import check_red_lines, close_red_lines
from engine.core.rules import Rules
from engine.core.spec import PhaseSpec
from engine.core.state import GameState
from engine.core.triggers import run_triggers


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What one turn produced: the next state, every event, and a verdict per order."""

    state: GameState
    events: tuple[Event, ...]
    results: tuple[OrderResult, ...]


@dataclass(frozen=True, slots=True)
class _AcceptedMove:
    order: Move
    path: tuple[str, ...]


def resolve_turn(rules: Rules, state: GameState, orders: Iterable[Order]) -> TurnResult:
    """Adjudicate one turn.  Pure: the same rules, state and orders give the same result."""
    board = Board(rules.spec, state)
    board.phase = "orders"
    checker = OrderChecker(rules, board)
    results: list[OrderResult] = []
    moves: list[_AcceptedMove] = []
    attacks: list[Attack] = []
    actions: list[TakeAction] = []
    for order in _in_initiative_order(rules, orders):
        result = checker.check(order)
        results.append(result)
        if not result.ok:
            board.events.append(
                OrderRejected(
                    board.turn,
                    board.phase,
                    f"order:{order.actor}",
                    order.actor,
                    order.text(),
                    result.code.value,
                    result.reason,
                )
            )
        elif isinstance(order, Move):
            moves.append(_AcceptedMove(order, result.route))
        elif isinstance(order, Attack):
            attacks.append(order)
        else:
            actions.append(order)
    for phase in rules.spec.phases:
        if board.finished:
            break
        board.phase = phase.id
        if phase.kind == "actions":
            _resolve_actions(rules, board, phase, actions)
        elif phase.kind == "movement":
            _resolve_movement(rules, board, moves)
            update_linkage(board)
        elif phase.kind == "combat":
            _resolve_combat(rules, board, attacks)
            update_linkage(board)
        elif phase.kind == "triggers":
            check_red_lines(rules.red_lines, board)
            run_triggers(rules.triggers, board)
            check_red_lines(rules.red_lines, board)
        else:
            _upkeep(rules, board)
            update_linkage(board)
    if not state.finished:
        # A game already over stays as it is; a game that ends now ends in this turn, so
        # its ``game_ended`` event carries this turn's number, like every other event.
        board.phase = "end"
        close_red_lines(rules.red_lines, board)
        if board.turn >= rules.spec.turns:
            board.end_game("the last turn has been played", "calendar")
        board.advance_turn()
    return TurnResult(board.freeze(), tuple(board.events), tuple(results))


def _in_initiative_order(rules: Rules, orders: Iterable[Order]) -> list[Order]:
    """Orders sorted by their actor's initiative; each actor's own order is kept."""
    rank = {actor: i for i, actor in enumerate(rules.actor_order)}
    return sorted(orders, key=lambda order: rank.get(order.actor, len(rank)))


def _resolve_actions(
    rules: Rules, board: Board, phase: PhaseSpec, actions: list[TakeAction]
) -> None:
    spec = rules.spec
    for order in actions:
        action = spec.action_by_id[order.action]
        if action.category not in phase.categories:
            continue
        ctx = action_context(rules, order, action)
        cost = rules.action_terms(action, order.target)[0]
        if board.budget(order.actor) + 1e-9 < cost:
            reason = f"{order.actor} can no longer pay {cost:g}"
        elif not rules.action_requires[action.id](board, ctx):
            reason = f"no longer holds: {rules.requirement_text[action.id]}"
        else:
            board.events.append(
                ActionTaken(
                    board.turn,
                    board.phase,
                    ctx.cause,
                    order.actor,
                    action.id,
                    order.target,
                    cost,
                )
            )
            board.adjust_budget(order.actor, -cost, ctx.cause)
            rules.action_effects[action.id](board, ctx)
            continue
        board.events.append(
            ActionVoided(
                board.turn, board.phase, ctx.cause, order.actor, action.id, order.target, reason
            )
        )


def _resolve_movement(rules: Rules, board: Board, moves: list[_AcceptedMove]) -> None:
    spec = rules.spec
    live: list[_AcceptedMove] = []
    for move in moves:
        unit = board.units.get(move.order.unit)
        if unit is None:
            continue
        if unit.area != move.path[0]:
            # An effect (a forward deployment) put the unit elsewhere after its route was
            # checked: it stays where the effect put it rather than move from where it was.
            board.events.append(
                MoveBounced(
                    board.turn,
                    board.phase,
                    f"order:{order_text(move.order)}",
                    unit.id,
                    unit.owner,
                    move.path[-1],
                    f"it was moved to {unit.area} before it could move",
                )
            )
            continue
        live.append(move)
    entering: dict[str, set[str]] = defaultdict(set)
    for move in live:
        entering[move.path[-1]].add(move.order.actor)
    for move in live:
        destination = move.path[-1]
        actor = move.order.actor
        cause = f"order:{order_text(move.order)}"
        if any(spec.are_hostile(actor, other) for other in entering[destination]):
            board.events.append(
                MoveBounced(
                    board.turn,
                    board.phase,
                    cause,
                    move.order.unit,
                    actor,
                    destination,
                    "hostile forces moved in at the same time",
                )
            )
        elif board.hostile_units_in(destination, actor):
            board.events.append(
                MoveBounced(
                    board.turn,
                    board.phase,
                    cause,
                    move.order.unit,
                    actor,
                    destination,
                    "hostile forces now hold it",
                )
            )
        else:
            board.move_unit(move.order.unit, move.path, cause)
    for move in live:
        unit = board.units.get(move.order.unit)
        if unit is not None and unit.area == move.path[-1]:
            _occupy(rules, board, unit.area, unit.owner, unit.unit_type, f"movement:{unit.id}")


def _occupy(rules: Rules, board: Board, area: str, actor: str, unit_type: str, cause: str) -> None:
    """A land unit alone in a controllable area takes it from a hostile or absent holder."""
    spec = rules.spec
    if spec.unit_type_by_id[unit_type].domain != "land":
        return
    if not spec.area_kind_by_id[spec.area_by_id[area].kind].controllable:
        return
    holder = board.controller(area)
    if holder and not spec.are_hostile(actor, holder):
        return
    if not board.hostile_units_in(area, actor):
        board.set_control(area, actor, cause)


def _resolve_combat(rules: Rules, board: Board, attacks: list[Attack]) -> None:
    spec = rules.spec
    groups: dict[tuple[str, str], list[Attack]] = defaultdict(list)
    for attack in attacks:
        groups[(attack.target, spec.actor_by_id[attack.actor].side)].append(attack)
    for (area, side), group in sorted(
        groups.items(), key=lambda kv: (spec.area_index[kv[0][0]], kv[0][1])
    ):
        attackers = [
            board.units[u]
            for a in group
            for u in a.units
            if u in board.units and board.units[u].owner == a.actor
        ]
        if not attackers:
            continue
        lead = group[0].actor
        defenders = board.hostile_units_in(area, lead)
        cause = f"combat:{area}"
        attack_strength = sum(u.strength for u in attackers)
        if defenders:
            defense = (
                sum(u.strength for u in defenders)
                * spec.terrain_by_id[spec.area_by_id[area].terrain].defense
            )
            table = spec.combat
            column = table.column_for(attack_strength / defense if defense else float("inf"))
            roll = board.rng.roll(table.die)
            attacker_loss, defender_loss = table.rows[roll - 1][column]
            board.events.append(
                CombatResolved(
                    board.turn,
                    board.phase,
                    cause,
                    area,
                    side,
                    tuple(sorted({u.owner for u in defenders})),
                    round(attack_strength, 6),
                    round(defense, 6),
                    _column_label(table.columns[column]),
                    roll,
                    attacker_loss,
                    defender_loss,
                )
            )
            for unit in attackers:
                board.damage_unit(unit.id, unit.strength * attacker_loss, cause)
            for unit in defenders:
                board.damage_unit(unit.id, unit.strength * defender_loss, cause)
        if board.hostile_units_in(area, lead):
            continue
        survivors = [board.units[u.id] for u in attackers if u.id in board.units]
        advancing = [u for u in survivors if spec.unit_type_by_id[u.unit_type].domain == "land"]
        for unit in advancing:
            if unit.area != area:
                board.move_unit(unit.id, (unit.area, area), cause)
        if advancing:
            strength: dict[str, float] = defaultdict(float)
            for unit in advancing:
                strength[unit.owner] += unit.strength
            winner = min(strength, key=lambda actor: (-strength[actor], actor))
            _occupy(rules, board, area, winner, advancing[0].unit_type, cause)


def _column_label(ratio: float) -> str:
    if ratio >= 1:
        return f"{ratio:g}:1"
    return f"1:{1 / ratio:g}"


def _upkeep(rules: Rules, board: Board) -> None:
    spec = rules.spec
    for actor in spec.actors:
        if actor.income:
            board.adjust_budget(actor.id, actor.income, "upkeep:income")
    for (track_id, scope), slot in spec.track_slots.items():
        track = spec.track_by_id[track_id]
        if track.decay_toward is None or not track.decay_rate:
            continue
        value = board.tracks[slot]
        board.set_track(
            track_id, scope, value + (track.decay_toward - value) * track.decay_rate, "upkeep:decay"
        )
