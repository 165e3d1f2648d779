"""Means, standard deviations and 95% confidence intervals, computed the same way everywhere.

``redline compare`` and ``redline analyze`` report the same numbers for the same games
because they share these functions.  Every sum runs over the values in the order given
(callers pass them in seed order), so a run split over any number of processes or
machines adds the same floating-point numbers in the same order and prints the same
digits.  Intervals use the normal approximation (``mean ± 1.96 · s / √n``): analyses run
hundreds of games, where it is indistinguishable from Student's t, and it needs no SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959964
"""The 97.5th percentile of the standard normal distribution."""


@dataclass(frozen=True)
class Estimate:
    """The mean of ``games`` values with its sample standard deviation."""

    games: int
    mean: float
    stdev: float

    @property
    def half_width(self) -> float:
        """Half the width of the 95% confidence interval of the mean (0 for one game)."""
        return Z95 * self.stdev / math.sqrt(self.games) if self.games > 1 else 0.0

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width


def estimate(values: Sequence[float]) -> Estimate:
    """The mean and sample standard deviation of ``values``, summed in the order given."""
    if not values:
        raise ValueError("no values to estimate from")
    count = len(values)
    mean = sum(values) / count
    variance = sum((v - mean) ** 2 for v in values) / (count - 1) if count > 1 else 0.0
    return Estimate(count, mean, math.sqrt(variance))


def paired_difference(values: Sequence[float], baseline: Sequence[float]) -> Estimate:
    """The mean of ``values[i] - baseline[i]`` with its own standard deviation.

    Both sequences come from the same seeds in the same order, so each pair shares its
    luck (the dice and the bots' draws that do not depend on the rules changed): the
    interval of the paired difference is usually far narrower than the two separate
    intervals would suggest.
    """
    if len(values) != len(baseline):
        raise ValueError(f"cannot pair {len(values)} values with {len(baseline)}")
    return estimate([value - base for value, base in zip(values, baseline, strict=True)])
