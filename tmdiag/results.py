"""What the analyses find, typed: the threat catalogue, findings, the threat analysis and its
summary. The threats package produces them; the CLI, the report, the diagram, the language
server and exports read them. One serializer per type (`to_dict`) feeds every JSON output.

    analysis = tmdiag.threats.analyze(model)
    for finding in analysis.findings:        # ranked: highest risk first
        print(finding.risk, finding.threat_id, finding.target_id, finding.owner)
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.model.anchors import threat_anchor
from tmdiag.model.levels import RiskLevel, Status
from tmdiag.model.nodes import RiskDecision

__all__ = ["Finding", "RiskLevel", "Status", "Summary", "Threat", "ThreatAnalysis", "decision_dict"]

DECISION_FIELDS = ("status", "owner", "by", "justification", "until", "due", "ticket", "severity", "checked_by", "date")


@dataclass(frozen=True, slots=True)
class Threat:
    """A catalogue entry: one of pytm's library threats or a custom rule of the model."""

    id: str
    title: str
    description: str
    details: str  # prerequisites and example (pytm), or the rule's `details`
    mitigations: str
    references: str
    severity: str  # very_low | low | medium | high | very_high
    likelihood: str  # the library's rating, "" when unrated
    source: str  # "pytm" or "custom"

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "description": self.description, "details": self.details,
            "mitigations": self.mitigations, "references": self.references, "severity": self.severity,
            "likelihood": self.likelihood, "source": self.source,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    """A threat that applies to an element or a flow, rated, owned and decided."""

    threat: Threat
    target_id: str  # element id or flow id (its name, or flow-<n>)
    target_kind: str  # element kind or "flow"
    target_label: str  # the target's title
    target_anchor: str  # `el-<id>` or `flow-<n>` (model/anchors.py)
    span: Span  # the target's declaration
    evidence: tuple[str, ...]  # model facts that made it apply, in the model's words
    likelihood: str  # very_low … very_high (1–5)
    impact: str
    risk: RiskLevel
    score: int  # likelihood × impact, 1–25
    status: Status
    owner: str | None  # decision owner, else the target's (Model.owner_of)
    decision: RiskDecision | None
    controls: tuple[str, ...]  # control ids that mitigate it
    explanation: str  # how the risk was computed
    rank: int = 0  # 1-based position in the ranking; 0 for excluded findings
    expired: bool = False  # the decision accepted it until a date that has passed: open again
    assumption: str | None = None  # id of the assumption that excludes it (excluded findings only)
    mitigated_by: tuple[str, ...] = ()  # facts the model states that close it, in the model's words
    overdue: bool = False  # unresolved after the decision's `due:` date (as of the analysis' day)

    # the catalogue entry's fields, for readers that want them flat
    @property
    def threat_id(self) -> str:
        return self.threat.id

    @property
    def title(self) -> str:
        return self.threat.title

    @property
    def description(self) -> str:
        return self.threat.description

    @property
    def details(self) -> str:
        return self.threat.details

    @property
    def mitigations(self) -> str:
        return self.threat.mitigations

    @property
    def references(self) -> str:
        return self.threat.references

    @property
    def severity(self) -> str:
        return self.threat.severity

    @property
    def source(self) -> str:
        return self.threat.source

    @property
    def anchor(self) -> str:
        return threat_anchor(self.threat.id, self.target_id)

    @property
    def is_open(self) -> bool:
        """Not resolved: open or in progress."""
        return self.status.is_open

    @property
    def due(self) -> datetime.date | None:
        """When the decision says the remediation is due."""
        due = self.decision.get("due") if self.decision is not None else None
        return due if isinstance(due, datetime.date) else None

    def past_due(self, today: datetime.date) -> bool:
        """Still unresolved after its due date, on `today`."""
        return self.is_open and self.due is not None and self.due < today

    def ranked(self, rank: int) -> Finding:
        """This finding at another place in the ranking (`dataclasses.replace`, without its cost)."""
        return Finding(
            self.threat, self.target_id, self.target_kind, self.target_label, self.target_anchor, self.span,
            self.evidence, self.likelihood, self.impact, self.risk, self.score, self.status, self.owner,
            self.decision, self.controls, self.explanation, rank, self.expired, self.assumption, self.mitigated_by,
            self.overdue,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; the threat's long texts are in the catalogue, under `threat_id`."""
        return {
            "rank": self.rank, "anchor": self.anchor, "threat_id": self.threat.id, "title": self.threat.title,
            "severity": self.threat.severity, "source": self.threat.source, "risk": self.risk.value,
            "score": self.score, "likelihood": self.likelihood, "impact": self.impact,
            "target": {"id": self.target_id, "kind": self.target_kind, "label": self.target_label,
                       "anchor": self.target_anchor, "path": self.span.path, "line": self.span.line,
                       "column": self.span.column},
            "status": self.status.value, "owner": self.owner, "controls": list(self.controls),
            "decision": decision_dict(self.decision, self.expired), "evidence": list(self.evidence),
            "explanation": self.explanation, "assumption": self.assumption, "mitigated_by": list(self.mitigated_by),
            "due": self.due.isoformat() if self.due else None, "overdue": self.overdue,
        }  # fmt: skip


def decision_dict(decision: RiskDecision | None, expired: bool = False) -> dict[str, Any] | None:
    """A risk decision as JSON data: every field, null when the model leaves it out."""
    if decision is None:
        return None
    out: dict[str, Any] = {}
    for key in DECISION_FIELDS:
        value = decision.get(key) if decision.has(key) or key == "status" else None
        out[key] = value.isoformat() if isinstance(value, datetime.date) else (None if value is None else str(value))
    out["expired"] = expired
    scope = "id" if decision.scope == "id" and not decision.threat_pattern else decision.scope
    out["decided_by"] = {"text": decision_text(decision), "scope": "pattern" if decision.threat_pattern else scope,
                         "path": decision.span.path, "line": decision.span.line}  # fmt: skip
    return out


def decision_text(decision: RiskDecision) -> str:
    """The decision as written: `risk DE04 on acct`, `risk "INP*" on datastore`."""
    threat = f'"{decision.id}"' if decision.threat_pattern else decision.id
    target = f'"{decision.target}"' if decision.scope == "pattern" else decision.target
    return f"risk {threat} on {target}"


@dataclass(frozen=True)
class Summary:
    """Counts over the register: unresolved (open or in progress) findings per risk level, highest
    first; findings per status."""

    total: int
    open_by_risk: Mapping[RiskLevel, int]
    by_status: Mapping[Status, int]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Summary:
        risks: Counter[RiskLevel] = Counter()
        statuses: Counter[Status] = Counter()
        total = 0
        for finding in findings:
            total += 1
            statuses[finding.status] += 1
            if finding.is_open:
                risks[finding.risk] += 1
        return cls(
            total,
            {level: risks[level] for level in RiskLevel.highest_first()},
            {status: statuses[status] for status in Status},
        )

    @property
    def open(self) -> int:
        """Unresolved findings: open or in progress."""
        return sum(n for status, n in self.by_status.items() if status.is_open)

    def open_counts(self) -> str:
        """`2 critical, 1 medium` (highest first, zeros left out), or "" when nothing is open."""
        return ", ".join(f"{n} {level}" for level, n in self.open_by_risk.items() if n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "open": self.open,
            "open_by_risk": {level.value: n for level, n in self.open_by_risk.items()},
            "by_status": {status.value: n for status, n in self.by_status.items()},
        }


@dataclass(frozen=True)
class ThreatAnalysis:
    findings: tuple[Finding, ...]  # ranked: highest risk first; ties by model order, then threat id
    diagnostics: tuple[Diagnostic, ...]  # stale / expired decisions (errors), unused exclusions (warnings)
    excluded: tuple[Finding, ...] = ()  # findings taken out by an assumption's `excludes:`
    library_size: int = 0  # pytm threats loaded (0 with `rules: replace`)

    def for_target(self, target_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.target_id == target_id)

    @property
    def summary(self) -> Summary:
        return Summary.of(self.findings)

    def catalogue(self) -> dict[str, Threat]:
        """Each threat found (or excluded) once, in rank order."""
        return catalogue(self.findings, self.excluded)


def catalogue(*groups: Sequence[Finding]) -> dict[str, Threat]:
    entries: dict[str, Threat] = {}
    for findings in groups:
        for finding in findings:
            entries.setdefault(finding.threat.id, finding.threat)
    return entries
