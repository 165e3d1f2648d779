"""The one owner of randomness: a small PCG32 generator whose whole state is one integer.

The game's generator lives inside :class:`~engine.core.state.GameState` as that integer, so a
state (and therefore a save) determines every later roll.  Bots get generators of their own
derived from the game seed and a label, never the game's.  Nothing here touches the global
``random`` module, the clock or ``hash()``, so results do not depend on the process.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableSequence, Sequence
from typing import TypeVar

_MASK64 = (1 << 64) - 1
_MULTIPLIER = 6364136223846793005
_INCREMENT = 1442695040888963407

T = TypeVar("T")


def _splitmix64(value: int) -> int:
    """Scramble a seed so that nearby seeds give unrelated streams."""
    z = (value + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def seed_state(seed: int) -> int:
    """The generator state that a game seed starts from."""
    return _splitmix64(seed & _MASK64)


def derive_seed(seed: int, label: str) -> int:
    """A seed for a separate stream (a bot, a batch game) derived from ``seed`` and ``label``."""
    digest = hashlib.sha256(f"{seed}:{label}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Rng:
    """A PCG32 stream.  Mutable while a turn is adjudicated; its ``state`` is then stored."""

    __slots__ = ("state",)

    def __init__(self, state: int) -> None:
        self.state = state & _MASK64

    @classmethod
    def from_seed(cls, seed: int) -> Rng:
        return cls(seed_state(seed))

    def next_u32(self) -> int:
        old = self.state
        self.state = (old * _MULTIPLIER + _INCREMENT) & _MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rotation = old >> 59
        return ((xorshifted >> rotation) | (xorshifted << ((-rotation) & 31))) & 0xFFFFFFFF

    def random(self) -> float:
        """A float in [0, 1) with 32 bits of precision."""
        return self.next_u32() / 4294967296.0

    def below(self, bound: int) -> int:
        """An unbiased integer in [0, bound), by rejection sampling.

        ``bound`` is at most 2**32: a larger one could never be drawn from 32 bits, and the
        rejection loop would never end.
        """
        if bound <= 0:
            raise ValueError("bound must be positive")
        if bound > 1 << 32:
            raise ValueError("bound must be at most 2**32")
        threshold = (1 << 32) % bound
        while True:
            value = self.next_u32()
            if value >= threshold:
                return value % bound

    def roll(self, sides: int) -> int:
        """A die roll from 1 to ``sides``."""
        return self.below(sides) + 1

    def chance(self, probability: float) -> bool:
        """True with the given probability; always draws, so the stream does not depend on p."""
        return self.random() < probability

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def shuffle(self, items: MutableSequence[T]) -> None:
        """Fisher-Yates in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
