"""What a diff is made of: `Change` (something declared, or a fact derived from it, differs) and
`FindingChange` (a finding appeared, went away, or changed risk or status). Both are symmetric by
construction: `reversed()` swaps the sides, and the diff of B and A is the reverse of A and B.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tmdiag.model.levels import RiskLevel, Status

# How a change bears on security. Derived from (aspect, old, new) by tmdiag.diff.effects.
WEAKENED, STRENGTHENED, NEUTRAL = "weakened", "strengthened", "neutral"

_EFFECT_RANK = {WEAKENED: 0, STRENGTHENED: 1, NEUTRAL: 2}

Value = Any  # JSON-ready: None (absent), bool, int, float, str, or a list of str


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. `aspect` is `exists` (added: old None; removed: new None), `id` (renamed),
    an attribute name, or a derived fact: `boundary` (moved), `crosses`, `into_lower_trust`,
    `carried_across`, `stored_in`, `stale`, `expired`, `label`, `kind`, `source`, `sink`, `parent`.

    Names: what the new side has is named as there; what only the old side has (a removed node
    and everything in its summary) as the old side names it. Sets reported by what they gain and
    lose (`tmdiag.diff.effects.growth_effect`) hold the items lost in `old` and the items gained in
    `new`, never both."""

    section: str  # model | team | data | agents | boundaries | elements | flows | controls | risks | ...
    subject: str  # the key on the new side (the old side's for a removal)
    aspect: str
    old: Value
    new: Value
    effect: str = NEUTRAL
    category: str = "other"  # structure | trust | data | controls | decisions | owners | review | other

    def reversed(self) -> Change:
        """The same change made the other way round: sides swapped, the effect turned."""
        subject = self.old if self.aspect == "id" else self.subject
        effect = {WEAKENED: STRENGTHENED, STRENGTHENED: WEAKENED}.get(self.effect, self.effect)
        return Change(self.section, subject, self.aspect, self.new, self.old, effect, self.category)

    @property
    def sort_key(self) -> tuple[str, str, str, int]:
        # the two parts of a split change (tmdiag.diff.effects.parts) differ by effect only:
        # the weakening part first, whichever way the diff runs
        return (self.section, self.subject, self.aspect, _EFFECT_RANK[self.effect])

    @property
    def kind(self) -> str:
        if self.aspect == "exists":
            return "added" if self.old is None else "removed"
        if self.aspect == "id":
            return "renamed"
        return "changed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section, "subject": self.subject, "kind": self.kind, "aspect": self.aspect,
            "old": self.old, "new": self.new, "effect": self.effect, "category": self.category,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class FindingState:
    """A finding as one side has it."""

    risk: RiskLevel
    status: Status
    score: int
    title: str
    target_label: str
    target_kind: str
    owner: str | None

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def to_dict(self) -> dict[str, Any]:
        return {"risk": self.risk.value, "status": self.status.value, "score": self.score, "owner": self.owner}


@dataclass(frozen=True, slots=True)
class FindingChange:
    """A finding (threat on target) new, resolved, or with another risk level or status."""

    threat_id: str
    target: str  # the target's key on the new side
    old: FindingState | None
    new: FindingState | None

    def reversed(self) -> FindingChange:
        return FindingChange(self.threat_id, self.target, self.new, self.old)

    @property
    def kind(self) -> str:
        if self.old is None:
            return "new"
        if self.new is None:
            return "resolved"
        if self.old.risk != self.new.risk:
            return "risk"
        return "status"

    @property
    def state(self) -> FindingState:
        """The newest state known (the old one for a resolved finding)."""
        state = self.new or self.old
        assert state is not None
        return state

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        state = self.state
        return (-state.risk.order, -state.score, self.target, self.threat_id)

    def adds_open_risk(self, level: RiskLevel) -> bool:
        """Open at or above `level` now, and not before: what `--fail-on-new` gates on."""
        now = self.new is not None and self.new.is_open and self.new.risk >= level
        before = self.old is not None and self.old.is_open and self.old.risk >= level
        return now and not before

    def to_dict(self) -> dict[str, Any]:
        state = self.state
        return {
            "threat_id": self.threat_id, "title": state.title, "target": self.target,
            "target_kind": state.target_kind, "target_label": state.target_label, "kind": self.kind,
            "old": self.old.to_dict() if self.old else None, "new": self.new.to_dict() if self.new else None,
        }  # fmt: skip
