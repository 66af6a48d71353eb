"""Summaries of repeated runs: min / median / max, the spread, and ratios of interleaved pairs."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    min: float
    median: float
    max: float
    n: int

    @property
    def noise(self) -> float:
        """(max - min) / median: how much the runs disagree (0.05 = 5 %)."""
        return (self.max - self.min) / self.median if self.median else 0.0

    def to_json(self) -> dict[str, float]:
        return {"min": self.min, "median": self.median, "max": self.max, "n": self.n}


def spread(values: Sequence[float]) -> Spread | None:
    if not values:
        return None
    return Spread(min(values), statistics.median(values), max(values), len(values))


def ratios(numerators: Sequence[float | None], denominators: Sequence[float | None]) -> Spread | None:
    """Ratio of run i of one command to run i of the other (they ran next to each other), for every
    i where both ran; None when no pair did."""
    pairs = [n / d for n, d in zip(numerators, denominators, strict=False) if n is not None and d]
    return spread(pairs)
