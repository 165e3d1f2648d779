"""The one protocol every computer player follows, and what it returns.

A bot is given an actor's :class:`~engine.core.observation.Observation` (never the full
state), the compiled rules (public knowledge) and a random generator of its own, and
returns that actor's orders for the turn with a one-line reason for each decision, so that
logs and the view can explain what the computer did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.core.observation import Observation
from engine.core.orders import Order
from engine.core.rng import Rng
from engine.core.rules import Rules


@dataclass(frozen=True)
class Decision:
    """A bot's orders for one turn and the reasons it gives, one line each."""

    orders: tuple[Order, ...]
    reasons: tuple[str, ...] = ()


class Bot(Protocol):
    """Anything that can decide one actor's orders from what that actor sees."""

    name: str

    def decide(self, observation: Observation, rules: Rules, rng: Rng) -> Decision: ...
