"""Risk levels and decision statuses: words of the language (`impact: high`, `status: accepted`)
and the values findings carry. Their order lives here, nowhere else.

`RiskLevel` compares by severity (`RiskLevel.HIGH > RiskLevel.MEDIUM`), not alphabetically; both
are `str` enums, so they equal, hash and serialise as their words (`RiskLevel.HIGH == "high"`).
"""

from __future__ import annotations

import enum


class RiskLevel(enum.StrEnum):
    """Declared from the least to the most severe."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def order(self) -> int:
        """0 for info … 4 for critical."""
        return _ORDER[self]

    @property
    def severe(self) -> bool:
        """High or critical: what the plan calls out and the diagram marks."""
        return self.order >= _ORDER[RiskLevel.HIGH]

    @classmethod
    def highest_first(cls) -> tuple[RiskLevel, ...]:
        return _HIGHEST_FIRST

    @classmethod
    def of_score(cls, score: int) -> RiskLevel:
        """The level of a likelihood × impact score, 1..25 (docs/risk.md)."""
        for threshold, level in _THRESHOLDS:
            if score >= threshold:
                return level
        return cls.INFO

    @classmethod
    def parse(cls, word: object) -> RiskLevel | None:
        try:
            return cls(str(word).strip().lower())
        except ValueError:
            return None

    def _other(self, other: object) -> int:
        level = other if isinstance(other, RiskLevel) else RiskLevel.parse(other)
        if level is None:
            raise TypeError(f"cannot compare a risk level with {other!r}")
        return level.order

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        return self.order < self._other(other)

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        return self.order <= self._other(other)

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        return self.order > self._other(other)

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        return self.order >= self._other(other)


_ORDER = {level: i for i, level in enumerate(RiskLevel)}
_HIGHEST_FIRST = tuple(reversed(RiskLevel))
_THRESHOLDS = ((20, RiskLevel.CRITICAL), (12, RiskLevel.HIGH), (6, RiskLevel.MEDIUM), (3, RiskLevel.LOW))


class Status(enum.StrEnum):
    """What was decided about a finding (`risk ID on TARGET { status: … }`); `open` without a decision.
    Open and in-progress findings are unresolved: they count as open in totals, plans and gates."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    MITIGATED = "mitigated"
    ACCEPTED = "accepted"
    TRANSFERRED = "transferred"
    AVOIDED = "avoided"
    FALSE_POSITIVE = "false_positive"

    @property
    def is_open(self) -> bool:
        """Not resolved yet: open, or in progress (a remediation under way, with a due date)."""
        return self in (Status.OPEN, Status.IN_PROGRESS)
