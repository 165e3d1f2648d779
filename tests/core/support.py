"""Helpers shared by the core tests: building starting positions and enumerating orders.

Nothing here is a test.  Starting positions are built from a real state with
``dataclasses.replace`` so that every field the engine adds later (red lines, triggers)
keeps its initial value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from engine.core import (
    Attack,
    GameSpec,
    GameState,
    Move,
    Order,
    Rules,
    Unit,
    check_orders,
    legal_action_orders,
    reachable,
    resolve_turn,
)
from engine.core.board import Board
from engine.core.rng import Rng, seed_state

UNIT_FIELDS = ("type", "owner", "area", "strength")


def place(
    spec: GameSpec,
    state: GameState,
    *,
    turn: int | None = None,
    units: Mapping[str, Mapping[str, Any]] | None = None,
    remove: Iterable[str] = (),
    tracks: Mapping[str, Mapping[str, float]] | None = None,
    budgets: Mapping[str, float] | None = None,
    control: Mapping[str, str] | None = None,
    flags: Iterable[str] | None = None,
    rng: int | None = None,
    finished: bool | None = None,
) -> GameState:
    """``state`` with the given changes.

    ``units`` maps a unit id to the fields to change (``type``, ``owner``, ``area``,
    ``strength``); an unknown id creates a unit, which then needs a type, an owner and an
    area (strength defaults to its type's).  ``tracks`` maps a track id to ``{scope: value}``
    (scope ``""`` for a global track).  Numbers are stored as floats, as the engine does.
    """
    by_id = {unit.id: unit for unit in state.units}
    for unit_id in remove:
        del by_id[unit_id]
    for unit_id, change in (units or {}).items():
        unknown = set(change) - set(UNIT_FIELDS)
        if unknown:
            raise ValueError(f"unit {unit_id}: unknown fields {sorted(unknown)}")
        old = by_id.get(unit_id)
        unit_type = str(change.get("type", old.unit_type if old else ""))
        if not unit_type:
            raise ValueError(f"new unit {unit_id} needs a type")
        default = old.strength if old else spec.unit_type_by_id[unit_type].strength
        by_id[unit_id] = Unit(
            unit_id,
            unit_type,
            str(change.get("owner", old.owner if old else "")),
            str(change.get("area", old.area if old else "")),
            float(change.get("strength", default)),
        )
    values = list(state.tracks)
    for track, scopes in (tracks or {}).items():
        for scope, value in scopes.items():
            values[spec.track_slots[(track, scope)]] = float(value)
    money = list(state.budgets)
    for actor, value in (budgets or {}).items():
        money[spec.actor_index[actor]] = float(value)
    holders = list(state.control)
    for area, actor in (control or {}).items():
        holders[spec.area_index[area]] = actor
    changes: dict[str, Any] = {
        "units": tuple(sorted(by_id.values())),
        "tracks": tuple(values),
        "budgets": tuple(money),
        "control": tuple(holders),
    }
    if turn is not None:
        changes["turn"] = turn
    if flags is not None:
        changes["flags"] = tuple(sorted(flags))
    if rng is not None:
        changes["rng"] = rng
    if finished is not None:
        changes["finished"] = finished
    return dataclasses.replace(state, **changes)


def seed_for_rolls(die: int, rolls: Sequence[int], limit: int = 100_000) -> int:
    """The generator state of the smallest seed whose first rolls of ``die`` are ``rolls``."""
    for seed in range(limit):
        rng = Rng.from_seed(seed)
        if all(rng.roll(die) == roll for roll in rolls):
            return seed_state(seed)
    raise ValueError(f"no seed below {limit} rolls {list(rolls)} on a d{die}")


def candidate_orders(rules: Rules, state: GameState) -> list[Order]:
    """Every order that is legal on its own: actions, moves to reachable areas, attacks."""
    spec = rules.spec
    board = Board(spec, state)
    found: list[Order] = []
    for actor in spec.actors:
        found.extend(legal_action_orders(rules, state, actor.id))
    attacks: list[Order] = []
    targets = sorted({unit.area for unit in state.units})
    for unit in state.units:
        found.extend(
            Move(unit.owner, unit.id, area) for area in sorted(reachable(rules, board, unit))
        )
        attacks.extend(Attack(unit.owner, area, (unit.id,)) for area in targets)
    found.extend(a for a in attacks if check_orders(rules, state, [a])[0].ok)
    return found


def play(
    rules: Rules, state: GameState, turns: Iterable[Sequence[Order]]
) -> list[GameState]:
    """The states after each turn of orders, starting state first."""
    states = [state]
    for orders in turns:
        states.append(resolve_turn(rules, states[-1], orders).state)
    return states
