"""Threats: pytm's threat library and the model's own rules, ranked by risk, with decisions applied.

    analysis = analyze(model, today=date(2026, 11, 27))
    for finding in analysis.findings:      # highest risk first
        print(finding.risk, finding.threat_id, finding.target_id, finding.evidence)

The only package in tmdiag that imports pytm (through `adapter`). Method: docs/risk.md;
command and rule language: docs/threats.md.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.model.anchors import threat_anchor
from tmdiag.model.nodes import RiskDecision
from tmdiag.semantics import rules as rule_types
from tmdiag.threats import decisions as dec
from tmdiag.threats.risk import WORDS, RiskModel, rank
from tmdiag.threats.rules import Evaluator

STATUSES = schema.DECISIONS  # open | mitigated | accepted | transferred | avoided | false_positive


@dataclass(frozen=True, slots=True)
class Finding:
    threat_id: str
    title: str
    description: str
    details: str
    mitigations: str
    references: str
    severity: str  # from the library / rule: very_low | low | medium | high | very_high
    target_id: str  # element id or flow id (its name, or flow-<n>)
    target_kind: str  # element kind or "flow"
    span: Span  # the target's declaration
    evidence: tuple[str, ...]  # model facts that made it apply
    likelihood: str  # very_low … very_high (1–5)
    impact: str
    risk: str  # critical | high | medium | low | info
    score: int  # likelihood × impact, 1–25
    status: str  # open | mitigated | accepted | transferred | avoided | false_positive
    owner: str | None  # decision owner, else the target's owner
    decision: RiskDecision | None
    controls: tuple[str, ...]  # control ids that mitigate it
    source: str  # "pytm" or "custom"
    rank: int = 0  # 1-based position in the ranking
    target_label: str = ""  # the target's title
    explanation: str = ""  # how the risk was computed
    assumption: str | None = None  # id of the assumption that excludes it (excluded findings only)

    @property
    def anchor(self) -> str:
        return threat_anchor(self.threat_id, self.target_id)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what `tmdiag threats --format json` prints for each finding)."""
        decision = None
        if self.decision is not None:
            decision = {
                key: value.isoformat() if isinstance(value, datetime.date) else str(value)
                for key in ("status", "owner", "by", "justification", "until", "ticket", "severity")
                if (value := self.decision.get(key)) is not None and value != ""
            }
        return {
            "rank": self.rank, "risk": self.risk, "score": self.score, "likelihood": self.likelihood,
            "impact": self.impact, "threat_id": self.threat_id, "title": self.title, "severity": self.severity,
            "source": self.source,
            "target": {"id": self.target_id, "kind": self.target_kind, "label": self.target_label,
                       "path": self.span.path, "line": self.span.line, "column": self.span.column},
            "status": self.status, "owner": self.owner, "controls": list(self.controls),
            "evidence": list(self.evidence), "explanation": self.explanation, "anchor": self.anchor,
            "decision": decision, "assumption": self.assumption, "description": self.description,
            "details": self.details, "mitigations": self.mitigations, "references": self.references,
        }  # fmt: skip


@dataclass(frozen=True)
class ThreatAnalysis:
    findings: tuple[Finding, ...]  # ranked: highest risk first; ties by model order, then threat id
    diagnostics: tuple[Diagnostic, ...]  # stale / expired decisions (errors), unused exclusions (warnings)
    excluded: tuple[Finding, ...] = ()  # findings taken out by an assumption's `excludes:`
    library_size: int = 0  # pytm threats loaded (0 with `rules: replace`)

    def for_target(self, target_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.target_id == target_id)


@dataclass(frozen=True, slots=True)
class _Threat:
    """What a finding copies from its threat (pytm's library entry or a custom rule)."""

    id: str
    title: str
    description: str
    details: str
    mitigations: str
    references: str
    severity: str
    likelihood: str
    source: str


def _word(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _pytm_threat(threat: Any) -> _Threat:
    details = "\n\n".join(
        f"{label}: {text.strip()}"
        for label, text in (("Prerequisites", threat.prerequisites), ("Example", threat.example))
        if text and text.strip()
    )
    return _Threat(threat.id, threat.description, threat.details, details, threat.mitigations, threat.references,
                   _word(threat.severity), threat.likelihood or "", "pytm")  # fmt: skip


def _rule_threat(rule: n.CustomRule) -> _Threat:
    return _Threat(rule.id, rule.title, str(rule.get("description") or ""), str(rule.get("details") or ""),
                   str(rule.get("mitigations") or ""), str(rule.get("references") or ""),
                   _word(str(rule.get("severity"))), str(rule.get("likelihood") or ""), "custom")  # fmt: skip


class _Collector:
    def __init__(self, model: n.Model, today: datetime.date):
        self.model = model
        self.today = today
        self.risk = RiskModel(model)
        self.table = dec.Decisions.of(model)
        self.order = {node.id: i for i, node in enumerate((*model.elements, *model.flows))}
        self.rows: list[tuple[tuple[int, int, int, str], _Threat, n.Element | n.Flow, tuple[str, ...], Any]] = []
        self.excluded: list[tuple[_Threat, n.Element | n.Flow, tuple[str, ...], n.Assumption]] = []
        self.matched: set[dec.Key] = set()
        self.excluded_keys: set[dec.Key] = set()
        self.by_target: dict[str, list[str]] = {}
        self.owners: dict[str, str | None] = {}

    def owner_of(self, node: n.Node) -> str | None:
        if node.id not in self.owners:
            self.owners[node.id] = self.model.owner_of(node)
        return self.owners[node.id]

    def add(self, threat: _Threat, node: n.Element | n.Flow, evidence: tuple[str, ...]) -> None:
        key = (threat.id, node.id)
        self.by_target.setdefault(node.id, []).append(threat.id)
        assumption = self.table.exclusion(key)
        if assumption is not None:
            self.excluded_keys.add(key)
            self.excluded.append((threat, node, evidence, assumption))
            return
        self.matched.add(key)
        outcome = dec.decide(self.table, key, node, self.today, self.owner_of(node))
        rating = self.risk.rate(node.id, threat.likelihood, threat.severity)
        risk = outcome.severity or rating.risk
        sort_key = (rank(risk), -rating.score, self.order.get(node.id, len(self.order)), threat.id)
        self.rows.append((sort_key, threat, node, evidence, (outcome, rating, risk)))

    def finding(self, position: int, threat: _Threat, node: n.Element | n.Flow, evidence: tuple[str, ...],
                extra: Any, assumption: str | None = None) -> Finding:  # fmt: skip
        outcome, rating, risk = extra
        explanation = rating.explanation + (f"; level set to {risk} by the risk decision" if outcome.severity else "")
        return Finding(
            threat.id, threat.title, threat.description, threat.details, threat.mitigations, threat.references,
            threat.severity, node.id, node.schema_kind if isinstance(node, n.Flow) else node.kind, node.span,
            evidence, WORDS[rating.likelihood - 1], WORDS[rating.impact - 1], risk, rating.score, outcome.status,
            outcome.owner, outcome.decision, outcome.controls, threat.source, position, node.title, explanation,
            assumption,
        )  # fmt: skip

    def result(self, library_size: int) -> ThreatAnalysis:
        self.rows.sort(key=lambda row: row[0])
        findings = tuple(self.finding(i, t, node, ev, extra) for i, (_, t, node, ev, extra) in enumerate(self.rows, 1))
        excluded = []
        for threat, node, evidence, assumption in self.excluded:
            outcome = dec.decide(self.table, (threat.id, node.id), node, self.today, self.owner_of(node))
            rating = self.risk.rate(node.id, threat.likelihood, threat.severity)
            excluded.append(self.finding(0, threat, node, evidence, (outcome, rating, rating.risk), assumption.id))
        found = dec.diagnostics(self.table, self.matched, self.excluded_keys, self.by_target, self.model, self.today)
        return ThreatAnalysis(findings, tuple(sorted(found, key=lambda d: d.sort_key)), tuple(excluded), library_size)


def analyze(
    model: n.Model,
    *,
    today: datetime.date | None = None,
    checked_rules: Mapping[str, rule_types.Checked] | None = None,
) -> ThreatAnalysis:
    """Enumerate threats (pytm's library unless `rules: replace`, plus custom rules), rank them by
    risk and apply the model's decisions, controls and assumptions. Expects a model without errors;
    `checked_rules` are validation's type-checked custom rules (checked here when not given)."""
    if checked_rules is None:
        checked_rules = rule_types.check_rules(model)[0]
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of small objects and no garbage: collections only cost time
    try:
        collector = _Collector(model, today or datetime.date.today())
        library_size = 0
        replace = model.info is not None and str(model.info.get("rules")) == "replace"
        if not replace:
            library_size = _pytm_findings(model, collector)
        _custom_findings(model, collector, checked_rules)
        return collector.result(library_size)
    finally:
        if was_enabled:
            gc.enable()


def _pytm_findings(model: n.Model, collector: _Collector) -> int:
    import pytm

    from tmdiag.threats import adapter, evidence

    compiled = adapter.build(model)
    explainer = evidence.Explainer(compiled, model)
    threats: dict[str, _Threat] = {}
    for threat, obj in adapter.enumerate_threats(compiled):
        info = threats.get(threat.id)
        if info is None:
            info = threats[threat.id] = _pytm_threat(threat)
        collector.add(info, compiled.node_of(obj), explainer.explain(threat, obj))
    return len(pytm.TM._threats)


def _custom_findings(model: n.Model, collector: _Collector, checked_rules: Mapping[str, rule_types.Checked]) -> None:
    evaluator = Evaluator(model)
    for rule in model.rules:
        checked = checked_rules.get(rule.id)
        if checked is None:
            continue
        kinds = set(rule_types.rule_kinds(rule))
        threat = _rule_threat(rule)
        targets: list[n.Element | n.Flow] = [e for e in model.elements if e.kind in kinds]
        if "flow" in kinds:
            targets.extend(model.flows)
        for target in targets:
            if not target.get("in_scope", True):
                continue
            applies, facts = evaluator.applies(checked, target)
            if applies:
                collector.add(threat, target, facts or (f"{target.kind} {target.id}: every {target.kind} matches",))


__all__ = ["STATUSES", "Finding", "ThreatAnalysis", "analyze"]
