"""The closed vocabulary of conditions and effects shared by actions, triggers and outcomes.

These are plain frozen values: the content layer builds them from validated YAML, and
:mod:`engine.core.compiled` turns them once into closures.  Nothing here is ever evaluated
as code.  A *scope* names whose copy of a track is meant: ``""`` for a global track, an
actor or theater id, or one of the context tokens in :data:`CONTEXT_TOKENS`, which are
filled in from the action or trigger being resolved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Comparison = Literal["lt", "le", "eq", "ne", "ge", "gt"]
"""Comparison operators, spelled as in YAML (``ge: 40`` means "at least 40")."""

CONTEXT_TOKENS = ("$self", "$target", "$theater", "$member")
"""``$self`` is the actor taking the action, ``$target`` its target (an actor, an area, a
theater, a coalition or a red line), ``$theater`` the theater of the target (or of the
acting actor's home), ``$member`` each member of a coalition inside an ``each_member``
effect."""

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


@dataclass(frozen=True, slots=True)
class RungIs:
    """A theater's escalation rung (by position on the ladder) compared with a threshold."""

    theater: str
    compare: Compare


@dataclass(frozen=True, slots=True)
class Happened:
    """Something happened this turn: an event of ``kind`` whose fields match ``match``.

    ``match`` pairs a field of the event with the value it must have (context tokens are
    allowed), e.g. ``(("actor", "$self"), ("action", "sanctions"))``.
    """

    kind: str
    match: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Chance:
    """True with probability ``p``, drawn from the game's generator when evaluated."""

    p: float


@dataclass(frozen=True, slots=True)
class MemberOf:
    actor: str
    coalition: str


@dataclass(frozen=True, slots=True)
class RedLineIs:
    red_line: str
    status: str


Condition = (
    All
    | Any_
    | Not
    | TrackIs
    | UnitsIn
    | Controls
    | FlagIs
    | TurnIs
    | BudgetIs
    | RungIs
    | Happened
    | Chance
    | MemberOf
    | RedLineIs
)

ALWAYS: Condition = All(())


# ----------------------------------------------------------------------------- effects


@dataclass(frozen=True, slots=True)
class AdjustTrack:
    """Move a track by ``by``; ``weight`` may scale it per coalition member.

    ``weight: "alignment"`` (inside ``each_member``) multiplies the change by how closely the
    member's threat perceptions match the acting actor's: 1 for identical views, 0 for
    opposite ones, so a joint action assures members who fear the same adversaries most.
    """

    track: str
    scope: str
    by: float
    weight: Literal["", "alignment"] = ""


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
    side: str = ""
    theater: str = ""


@dataclass(frozen=True, slots=True)
class MoveUnits:
    """Relocate matching units (all when count is 0) to ``to``, ignoring movement rules.

    Units that could never stand in ``to`` (a ship on land) are left where they are.
    """

    to: str
    area: str = ""
    actor: str = ""
    unit_type: str = ""
    count: int = 0
    side: str = ""
    theater: str = ""


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


@dataclass(frozen=True, slots=True)
class Escalate:
    """Move a theater up (``by > 0``) or down the ladder, or to rung position ``to``."""

    theater: str
    by: int = 0
    to: int | None = None


@dataclass(frozen=True, slots=True)
class DeclareRedLine:
    red_line: str


@dataclass(frozen=True, slots=True)
class RetireRedLine:
    red_line: str


@dataclass(frozen=True, slots=True)
class Fire:
    """Raise a named event: triggers listening ``on`` it run next, through the queue."""

    name: str


@dataclass(frozen=True, slots=True)
class EachMember:
    """Apply ``effects`` once for every member of a coalition, with ``$member`` set to it."""

    coalition: str
    effects: tuple[Effect, ...]


Effect = (
    EachMember
    | Escalate
    | DeclareRedLine
    | RetireRedLine
    | Fire
    | AdjustTrack
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
            who = " ".join(part for part in (cond.actor, cond.side) if part) or "any"
            what = f" {cond.unit_type}" if cond.unit_type else ""
            where = " ".join(part for part in (cond.area, cond.theater) if part) or "anywhere"
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
        case RungIs(theater=theater, compare=compare):
            return f"escalation rung in {theater} {describe_compare(compare)}"
        case Happened(kind=kind, match=match):
            details = ", ".join(f"{k}={v}" for k, v in match)
            return f"{kind.replace('_', ' ')} this turn" + (f" ({details})" if details else "")
        case Chance(p=p):
            return f"a {p:.0%} chance"
        case MemberOf(actor=actor, coalition=coalition):
            return f"{actor} is a member of {coalition}"
        case RedLineIs(red_line=red_line, status=status):
            return f"red line {red_line} is {status}"


def _walk(nodes: tuple[object, ...]) -> Iterator[object]:
    """Every value inside the given conditions or effects, the nodes themselves included."""
    stack: list[object] = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, name) for name in node.__dataclass_fields__)


def mentions(token: str, *nodes: object) -> bool:
    """Whether ``token`` appears as a value anywhere inside the given conditions or effects."""
    return any(node == token for node in _walk(nodes))


def depends_on_moment(*nodes: object) -> bool:
    """Whether a condition may change without the state changing: it draws a ``chance`` or
    looks at what ``happened``, so its value cannot be remembered between evaluations."""
    return any(isinstance(node, Chance | Happened) for node in _walk(nodes))
