"""The closed vocabulary of conditions and effects shared by actions, triggers and outcomes.

These are plain frozen values: the content layer builds them from validated YAML, and
:mod:`engine.core.compiled` turns them once into closures.  Nothing here is ever evaluated
as code.  A *scope* names whose copy of a track is meant: ``""`` for a global track, an
actor or theater id, or one of the context tokens in :data:`CONTEXT_TOKENS`, which are
filled in from the action or trigger being resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Comparison = Literal["lt", "le", "eq", "ne", "ge", "gt"]
"""Comparison operators, spelled as in YAML (``ge: 40`` means "at least 40")."""

CONTEXT_TOKENS = ("$self", "$target", "$theater")
"""``$self`` is the actor taking the action, ``$target`` its target (an actor or an area),
``$theater`` the theater of the target area (or of the acting actor's home)."""

Measure = Literal["count", "strength"]


@dataclass(frozen=True, slots=True)
class Compare:
    """``value <op> threshold``."""

    op: Comparison
    threshold: float


# ----------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Any_:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class TrackIs:
    """A track value compared with a threshold."""

    track: str
    scope: str
    compare: Compare


@dataclass(frozen=True, slots=True)
class UnitsIn:
    """Units of an actor or side (optionally of one type) in an area or a theater."""

    compare: Compare
    measure: Measure = "count"
    actor: str = ""
    side: str = ""
    unit_type: str = ""
    area: str = ""
    theater: str = ""


@dataclass(frozen=True, slots=True)
class Controls:
    """An area is controlled by an actor, or by any actor of a side."""

    area: str
    actor: str = ""
    side: str = ""


@dataclass(frozen=True, slots=True)
class FlagIs:
    flag: str
    is_set: bool = True


@dataclass(frozen=True, slots=True)
class TurnIs:
    compare: Compare


@dataclass(frozen=True, slots=True)
class BudgetIs:
    actor: str
    compare: Compare


Condition = All | Any_ | Not | TrackIs | UnitsIn | Controls | FlagIs | TurnIs | BudgetIs

ALWAYS: Condition = All(())


# ----------------------------------------------------------------------------- effects


@dataclass(frozen=True, slots=True)
class AdjustTrack:
    track: str
    scope: str
    by: float


@dataclass(frozen=True, slots=True)
class SetTrack:
    track: str
    scope: str
    to: float


@dataclass(frozen=True, slots=True)
class SetFlag:
    flag: str
    is_set: bool = True


@dataclass(frozen=True, slots=True)
class AdjustBudget:
    actor: str
    by: float


@dataclass(frozen=True, slots=True)
class AddUnit:
    """Place a new unit; its id is made from ``unit_type``, ``owner`` and a serial."""

    unit_type: str
    owner: str
    area: str
    strength: float | None = None


@dataclass(frozen=True, slots=True)
class RemoveUnits:
    """Remove up to ``count`` units (all when 0) matching the filter, in id order."""

    area: str = ""
    actor: str = ""
    unit_type: str = ""
    count: int = 0


@dataclass(frozen=True, slots=True)
class MoveUnits:
    """Relocate matching units (all when count is 0) to ``to``, ignoring movement rules."""

    to: str
    area: str = ""
    actor: str = ""
    unit_type: str = ""
    count: int = 0


@dataclass(frozen=True, slots=True)
class SetControl:
    area: str
    actor: str


@dataclass(frozen=True, slots=True)
class Message:
    """A message to one actor (``to``) or to everyone (``to == "all"``)."""

    to: str
    text: str


@dataclass(frozen=True, slots=True)
class EndGame:
    reason: str


Effect = (
    AdjustTrack
    | SetTrack
    | SetFlag
    | AdjustBudget
    | AddUnit
    | RemoveUnits
    | MoveUnits
    | SetControl
    | Message
    | EndGame
)


# ----------------------------------------------------------------------------- describing

_SYMBOLS = {"lt": "<", "le": "<=", "eq": "=", "ne": "!=", "ge": ">=", "gt": ">"}


def describe_compare(compare: Compare) -> str:
    return f"{_SYMBOLS[compare.op]} {compare.threshold:g}"


def describe_condition(cond: Condition) -> str:
    """A short human reading of a condition, for rejected orders and the rules reference."""
    match cond:
        case All(items=()):
            return "always"
        case All(items=items):
            return " and ".join(describe_condition(i) for i in items)
        case Any_(items=items):
            return "(" + " or ".join(describe_condition(i) for i in items) + ")"
        case Not(item=item):
            return f"not ({describe_condition(item)})"
        case TrackIs(track=track, scope=scope, compare=compare):
            where = f"[{scope}]" if scope else ""
            return f"{track}{where} {describe_compare(compare)}"
        case UnitsIn():
            who = cond.actor or cond.side or "any"
            what = f" {cond.unit_type}" if cond.unit_type else ""
            where = cond.area or cond.theater or "anywhere"
            return (
                f"{cond.measure} of {who}{what} units in {where} {describe_compare(cond.compare)}"
            )
        case Controls(area=area, actor=actor, side=side):
            return f"{actor or side} controls {area}"
        case FlagIs(flag=flag, is_set=is_set):
            return f"flag {flag} {'set' if is_set else 'not set'}"
        case TurnIs(compare=compare):
            return f"turn {describe_compare(compare)}"
        case BudgetIs(actor=actor, compare=compare):
            return f"budget[{actor}] {describe_compare(compare)}"


def mentions(token: str, *nodes: object) -> bool:
    """Whether ``token`` appears as a value anywhere inside the given conditions or effects."""
    stack: list[object] = list(nodes)
    while stack:
        node = stack.pop()
        if node == token:
            return True
        if isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, name) for name in node.__dataclass_fields__)
    return False
