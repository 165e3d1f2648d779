"""The pure rules engine: state, orders, legality, adjudication, events, outcomes.

Nothing in this package reads or writes files, reads the clock, uses the global random
generator or imports pygame or yaml; a test enforces it.  Callers load a
:class:`~engine.core.spec.GameSpec` through :mod:`engine.content`, build
:class:`~engine.core.rules.Rules` once, and call
:func:`~engine.core.adjudicate.resolve_turn` turn after turn.
"""

from engine.core.adjudicate import TurnResult, resolve_turn
from engine.core.events import Event, event_from_dict
from engine.core.legality import check_orders, legal_action_orders, reachable
from engine.core.orders import (
    Attack,
    Move,
    Order,
    OrderCode,
    OrderResult,
    TakeAction,
    order_from_dict,
    order_text,
    order_to_dict,
    parse_order,
)
from engine.core.outcome import OutcomeRecorder
from engine.core.rules import Rules
from engine.core.spec import GameSpec
from engine.core.state import GameState, Unit, initial_state

__all__ = [
    "Attack",
    "Event",
    "GameSpec",
    "GameState",
    "Move",
    "Order",
    "OrderCode",
    "OrderResult",
    "OutcomeRecorder",
    "Rules",
    "TakeAction",
    "TurnResult",
    "Unit",
    "check_orders",
    "event_from_dict",
    "initial_state",
    "legal_action_orders",
    "order_from_dict",
    "order_text",
    "order_to_dict",
    "parse_order",
    "reachable",
    "resolve_turn",
]
