"""Threats: pytm's threat library and the model's own rules, ranked by risk, with decisions applied.

    analysis = analyze(model, today=date(2026, 11, 27))
    for finding in analysis.findings:      # highest risk first
        print(finding.risk, finding.threat_id, finding.target_id, finding.evidence)

The only package in tmdiag that imports pytm (through `adapter`). Method: docs/risk.md;
command and rule language: docs/threats.md.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tmdiag.memory import gc_paused
from tmdiag.model import facts
from tmdiag.model import nodes as n
from tmdiag.model.anchors import element_anchor, flow_anchor
from tmdiag.results import Finding, RiskLevel, Status, Threat, ThreatAnalysis
from tmdiag.semantics import rules as rule_types
from tmdiag.semantics import threatlib
from tmdiag.threats import decisions as dec
from tmdiag.threats.risk import WORDS, Rating, RiskModel
from tmdiag.threats.rules import Evaluator


def _word(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _pytm_threat(threat: Any) -> Threat:
    details = "\n\n".join(
        f"{label}: {text.strip()}"
        for label, text in (("Prerequisites", threat.prerequisites), ("Example", threat.example))
        if text and text.strip()
    )
    return Threat(threat.id, threat.description, threat.details, details, threat.mitigations, threat.references,
                  _word(threat.severity), threat.likelihood or "", "pytm")  # fmt: skip


def _rule_threat(rule: n.CustomRule) -> Threat:
    return Threat(rule.id, rule.title, str(rule.get("description") or ""), str(rule.get("details") or ""),
                  str(rule.get("mitigations") or ""), str(rule.get("references") or ""),
                  _word(str(rule.get("severity"))), str(rule.get("likelihood") or ""), "custom")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Row:
    """A finding before ranking: what applies where, why, and what was decided."""

    threat: Threat
    node: n.Element | n.Flow
    evidence: tuple[str, ...]
    outcome: dec.Outcome
    rating: Rating
    risk: RiskLevel

    def sort_key(self, order: Mapping[str, int]) -> tuple[int, int, int, int, str]:
        source = 0 if self.threat.source == "custom" else 1  # a rule written for this model before the library
        return (-self.risk.order, -self.rating.score, source, order.get(self.node.id, len(order)), self.threat.id)


class _Collector:
    def __init__(self, model: n.Model, today: datetime.date, effects: facts.Effects):
        self.model = model
        self.today = today
        self.effects = effects
        self.risk = RiskModel(model)
        self.table = dec.Decisions.of(model)
        self.order = {node.id: i for i, node in enumerate((*model.elements, *model.flows))}
        self.rows: list[_Row] = []
        self.excluded: list[tuple[_Row, n.Assumption]] = []
        self.matched: set[dec.Key] = set()
        self.excluded_keys: set[dec.Key] = set()
        self.closed: dict[dec.Key, tuple[str, ...]] = {}  # findings the model's facts close
        self.by_target: dict[str, list[str]] = {}
        self.owners: dict[str, str | None] = {}

    def owner_of(self, node: n.Node) -> str | None:
        if node.id not in self.owners:
            self.owners[node.id] = self.model.owner_of(node)
        return self.owners[node.id]

    def row(self, threat: Threat, node: n.Element | n.Flow, evidence: tuple[str, ...],
            closing: tuple[str, ...]) -> _Row:  # fmt: skip
        closing = tuple(dict.fromkeys((*closing, *(f.words for f in self.effects.closed_by(threat.id, node.id)))))
        lowering = tuple(f.words for f in self.effects.lowered_by(threat.id, node.id)) if not closing else ()
        evidence = (*evidence, *(f"mitigated by {w}" for w in closing),
                    *(f"likelihood lowered by {w}" for w in lowering))  # fmt: skip
        outcome = dec.decide(self.table, (threat.id, node.id), self.today, self.owner_of(node), closing)
        rating = self.risk.rate(node.id, threat.likelihood, threat.severity, lowering)
        return _Row(threat, node, evidence, outcome, rating, outcome.severity or rating.risk)

    def add(self, threat: Threat, node: n.Element | n.Flow, evidence: tuple[str, ...],
            closing: tuple[str, ...] = ()) -> None:  # fmt: skip
        """A threat that applies to `node` (or would, without the protections `closing` names)."""
        key = (threat.id, node.id)
        self.by_target.setdefault(node.id, []).append(threat.id)
        assumption = self.table.exclusion(key)
        if assumption is not None:
            self.excluded_keys.add(key)
            row = self.row(threat, node, evidence, closing)  # an excluded finding keeps its computed level
            self.excluded.append((dataclasses.replace(row, risk=row.rating.risk), assumption))
            return
        self.matched.add(key)
        row = self.row(threat, node, evidence, closing)
        if row.outcome.closed_by:
            self.closed[key] = row.outcome.closed_by
        self.rows.append(row)

    def finding(self, row: _Row, rank: int, assumption: str | None = None) -> Finding:
        node, outcome, rating = row.node, row.outcome, row.rating
        override = f"; level set to {row.risk} by the risk decision" if outcome.severity else ""
        anchor = flow_anchor(node.number) if isinstance(node, n.Flow) else element_anchor(node.id)
        return Finding(
            threat=row.threat, target_id=node.id, target_kind=node.schema_kind, target_label=node.title,
            target_anchor=anchor, span=node.span, evidence=row.evidence, likelihood=WORDS[rating.likelihood - 1],
            impact=WORDS[rating.impact - 1], risk=row.risk, score=rating.score, status=outcome.status,
            owner=outcome.owner, decision=outcome.decision, controls=outcome.controls,
            explanation=rating.explanation + override, rank=rank, expired=outcome.expired, assumption=assumption,
            mitigated_by=outcome.closed_by, overdue=outcome.status.is_open and _due(outcome.decision) < self.today,
        )  # fmt: skip

    def result(self, library_size: int, parity: bool = False) -> ThreatAnalysis:
        self.rows.sort(key=lambda row: row.sort_key(self.order))
        findings = tuple(self.finding(row, i) for i, row in enumerate(self.rows, 1))
        excluded = tuple(self.finding(row, 0, assumption.id) for row, assumption in self.excluded)
        # What these findings can speak for: not lint rules; in parity mode pytm's library alone
        library = threatlib.catalogue()

        def judged(threat_id: str) -> bool:
            return not threatlib.is_lint_code(threat_id) and (not parity or threat_id in library)

        found = dec.diagnostics(self.table, self.matched, self.excluded_keys, self.by_target, self.model, self.today,
                                judged=judged, closed=self.closed)  # fmt: skip
        return ThreatAnalysis(findings, tuple(sorted(found, key=lambda d: d.sort_key)), excluded, library_size)


def analyze(
    model: n.Model,
    *,
    today: datetime.date | None = None,
    checked_rules: Mapping[str, rule_types.Checked] | None = None,
    parity: bool = False,
) -> ThreatAnalysis:
    """Enumerate threats (pytm's library unless `rules: replace`, plus custom rules), rank them by
    risk and apply the model's decisions, controls and assumptions. Expects a model without errors;
    `checked_rules` are validation's type-checked custom rules (checked here when not given).

    By default tmdiag reads the conditions pytm gets wrong its own way (errata.py) and lets what the
    model states close or lower threats (facts.py); `parity=True` enumerates exactly what pytm 1.4
    does (its `check()` overwriting flow values included): pytm's library only, whatever `rules:`
    says, and no custom rules (a pytm script has none)."""
    if checked_rules is None:
        checked_rules = rule_types.check_rules(model)[0]
    with gc_paused():
        effects = facts.Effects() if parity else model.facts
        collector = _Collector(model, today or datetime.date.today(), effects)
        library_size = 0
        replace = model.info is not None and str(model.info.get("rules")) == "replace"
        if parity or not replace:
            library_size = _pytm_findings(model, collector, effects, parity)
        if not parity:
            _custom_findings(model, collector, checked_rules)
        return collector.result(library_size, parity)


def _pytm_findings(model: n.Model, collector: _Collector, effects: facts.Effects, parity: bool) -> int:
    import pytm

    from tmdiag.threats import adapter, evidence

    implied = {target: [(key, value, fact.words) for key, value, fact in found]
               for target, found in effects.implied.items()}  # fmt: skip
    compiled = adapter.build(model, parity=parity, implied=implied)
    explainer = evidence.Explainer(compiled, model)
    threats: dict[str, Threat] = {}
    for threat, obj, closing in adapter.enumerate_threats(compiled):
        info = threats.get(threat.id)
        if info is None:
            info = threats[threat.id] = _pytm_threat(threat)
        node = compiled.node_of(obj)
        if closing:  # holds only without what the model states: mitigated, and why it would hold
            would = f"{_subject(node)}: would apply without the protections the model states"
            collector.add(info, node, (would,), tuple(p.words for p in closing))
        else:
            collector.add(info, node, explainer.explain(threat, obj))
    return len(pytm.TM._threats)


def _due(decision: n.RiskDecision | None) -> datetime.date:
    """A decision's `due:` date; the end of time when there is none."""
    due = decision.get("due") if decision is not None else None
    return due if isinstance(due, datetime.date) else datetime.date.max


def _subject(node: n.Element | n.Flow) -> str:
    if isinstance(node, n.Flow):
        return f"flow {node.source} -> {node.sink}" + (f" ({node.id})" if node.named else "")
    return f"{node.kind} {node.id}"


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


__all__ = ["Finding", "RiskLevel", "Status", "Threat", "ThreatAnalysis", "analyze"]
