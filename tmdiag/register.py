"""The risk register: every risk of a model in one ranked list, with one owner rule, one rating
method and one set of decisions.

Threats (pytm's library and the model's own rules) come ranked from `tmdiag.threats`. What a lint
rule finds is a risk too when the rule says so (its `risk=` ratings: an open security group, audit
logging off, a hard-coded credential); findings about the model itself (a flow to itself, an
unused data asset, decisions and suppressions) stay diagnostics. A lint finding's target is the
element, flow or boundary whose declaration holds it (the model, when none does); its owner,
rating (likelihood × impact, moved by exposure and asset value), decisions (`risk TM401 on
bastion { … }`), controls and assumptions work as they do for threats. docs/risk.md.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.lint.registry import get as rule_of
from tmdiag.lint.registry import help_uri
from tmdiag.lint.rule import Rule
from tmdiag.model import nodes as n
from tmdiag.model.anchors import boundary_anchor, element_anchor, flow_anchor
from tmdiag.model.locate import Locator, Target
from tmdiag.results import Finding, Summary, Threat, ThreatAnalysis
from tmdiag.semantics import threatlib
from tmdiag.threats import decisions as dec
from tmdiag.threats.risk import WORDS, RiskModel

MODEL_TARGET = "model"  # the target id of a finding about the model as a whole
# At equal risk and score: a rule's concrete finding before a custom rule's, before pytm's generic threats.
SOURCE_ORDER = {"lint": 0, "custom": 1, "pytm": 2}
# Lint rules about the decisions themselves: the register's diagnostics show them (TM503 is E407).
DECISION_RULES = frozenset({"TM501", "TM502", "TM504", "TM505"})


@dataclass(frozen=True)
class Register:
    findings: tuple[Finding, ...]  # ranked: highest risk first
    diagnostics: tuple[Diagnostic, ...]  # stale and expired decisions, unused exclusions and control claims
    excluded: tuple[Finding, ...] = ()

    @property
    def summary(self) -> Summary:
        return Summary.of(self.findings)


def as_decided(model: n.Model, lint: Sequence[Diagnostic], today: datetime.date) -> list[Diagnostic]:
    """Lint findings as `tmdiag check` reports them when a decision covers them: a decided risk
    (accepted and not expired, transferred, mitigated, avoided, a false positive) is an `info` that
    names the decision, one in progress and not yet due a `warning`; others stay as they are."""
    if not model.risks:
        return list(lint)
    table = dec.Decisions.of(model)
    locator = Locator(model)
    out = []
    for diagnostic in lint:
        rule = rule_of(diagnostic.code)
        node = locator.at(diagnostic.span) if rule is not None and rule.risk is not None else None
        target_id = node.id if node is not None else MODEL_TARGET
        decision = table.decision_for(diagnostic.code, target_id) if rule is not None and rule.risk else None
        status = str(decision.get("status")) if decision is not None else "open"
        due, until = (decision.get("due"), decision.get("until")) if decision is not None else (None, None)
        quiet = Severity.INFO if status in ("mitigated", "transferred", "avoided", "false_positive") else None
        if status == "accepted" and not (isinstance(until, datetime.date) and until < today):
            quiet = Severity.INFO
        if status == "in_progress" and isinstance(due, datetime.date) and due >= today:
            quiet = min(diagnostic.severity, Severity.WARNING)
        if quiet is None or decision is None:
            out.append(diagnostic)
            continue
        where = f"risk {decision.id} on {decision.target}, {decision.span.path}:{decision.span.line}"
        message = f"{diagnostic.message} ({status.replace('_', ' ')}: {where})"
        out.append(dataclasses.replace(diagnostic, severity=quiet, message=message))
    return out


def lint_decisions(model: n.Model, lint: Sequence[Diagnostic], today: datetime.date,
                   judged: Callable[[str], bool] = lambda code: True) -> list[Diagnostic]:  # fmt: skip
    """Stale or expired decisions on lint rules (`risk TM401 on …`), judged without the threats:
    what `tmdiag check` can tell about decisions (the others need the threat enumeration).
    `judged`: which of the lint rules ran (drift rules only with infrastructure)."""
    if not any(threatlib.is_lint_code(risk.id) for risk in model.risks):
        return []
    register = build(model, ThreatAnalysis((), ()), lint, today,
                     judged=lambda code: threatlib.is_lint_code(code) and judged(code))  # fmt: skip
    return list(register.diagnostics)


def build(model: n.Model, threats: ThreatAnalysis, lint: Sequence[Diagnostic], today: datetime.date,
          judged: Callable[[str], bool] = lambda threat_id: True) -> Register:  # fmt: skip
    """The register of a model: its threats and the lint findings that are risks, ranked together.
    `judged`: which decisions (by threat id) the findings given can tell stale or expired."""
    table = dec.Decisions.of(model)
    risk = RiskModel(model)
    locator = Locator(model)
    listed: list[Finding] = list(threats.findings)
    excluded: list[Finding] = list(threats.excluded)
    grouped: dict[tuple[str, str], list[Diagnostic]] = {}
    nodes: dict[str, Target | None] = {}
    for diagnostic in lint:
        rule = rule_of(diagnostic.code)
        if rule is None or rule.risk is None:
            continue
        node = locator.at(diagnostic.span)
        target_id = node.id if node is not None else MODEL_TARGET
        nodes[target_id] = node
        grouped.setdefault((rule.code, target_id), []).append(diagnostic)  # one finding, every place as evidence
    for (code, target_id), found in grouped.items():
        rule = rule_of(code)
        assert rule is not None
        finding = _finding(model, rule, nodes[target_id], found, table, risk, today)
        assumption = table.exclusion((code, target_id))
        if assumption is not None:
            excluded.append(dataclasses.replace(finding, assumption=assumption.id))
        else:
            listed.append(finding)
    order = {node.id: i for i, node in enumerate((*model.elements, *model.flows, *model.boundaries, *model.data))}
    listed.sort(key=lambda f: (-f.risk.order, -f.score, SOURCE_ORDER.get(f.source, 3),
                               order.get(f.target_id, len(order)), f.threat_id))  # fmt: skip
    ranked = tuple(f if f.rank == i else f.ranked(i) for i, f in enumerate(listed, 1))
    by_target: dict[str, list[str]] = {}
    for f in ranked:
        by_target.setdefault(f.target_id, []).append(f.threat_id)
    decided = [(f.threat_id, f.target_id) for f in ranked]
    out = {(f.threat_id, f.target_id) for f in excluded}
    closed = {(f.threat_id, f.target_id): f.mitigated_by for f in ranked if f.mitigated_by}
    problems = dec.diagnostics(table, decided, out, by_target, model, today, judged, closed)
    others = [d for d in threats.diagnostics if d.code not in ("E406", "E407", "E408", "E409")]
    others += [d for d in lint if d.code in DECISION_RULES]  # what the lint rules say of the decisions
    return Register(ranked, tuple(sorted(dict.fromkeys((*others, *problems)), key=lambda d: d.sort_key)),
                    tuple(excluded))  # fmt: skip


def _finding(model: n.Model, rule: Rule, node: Target | None, found: list[Diagnostic], table: dec.Decisions,
             risk: RiskModel, today: datetime.date) -> Finding:  # fmt: skip
    assert rule.risk is not None
    likelihood, impact = rule.risk
    title = rule.summary.rstrip(".")
    threat = Threat(rule.code, title, rule.rationale, "", rule.fix, help_uri(rule.code), impact, likelihood, "lint")
    target_id = node.id if node is not None else MODEL_TARGET
    if isinstance(node, n.DataAsset):
        holder = next(iter(model.stored_in(node.id)), None)
        owner = model.owner_of(holder) if holder is not None else _model_owner(model)
    else:
        owner = model.owner_of(node) if node is not None else _model_owner(model)
    outcome = dec.decide(table, (rule.code, target_id), today, owner)
    rating = risk.rate(target_id, likelihood, impact)
    level = outcome.severity or rating.risk
    override = f"; level set to {level} by the risk decision" if outcome.severity else ""
    if isinstance(node, n.Flow):
        kind, anchor, label = "flow", flow_anchor(node.number), node.title
    elif isinstance(node, n.Element):
        kind, anchor, label = node.kind, element_anchor(node.id), node.title
    elif isinstance(node, n.Boundary):
        kind, anchor, label = "boundary", boundary_anchor(node.id), node.title
    elif isinstance(node, n.DataAsset):
        kind, anchor, label = "data", f"data-{node.id}", node.title
    else:
        kind, anchor, label = "model", "overview", model.name
    evidence = tuple(dict.fromkeys(d.message for d in found))
    return Finding(
        threat=threat, target_id=target_id, target_kind=kind, target_label=label, target_anchor=anchor,
        span=found[0].span, evidence=evidence, likelihood=WORDS[rating.likelihood - 1],
        impact=WORDS[rating.impact - 1], risk=level, score=rating.score, status=outcome.status, owner=outcome.owner,
        decision=outcome.decision, controls=outcome.controls, explanation=rating.explanation + override,
        expired=outcome.expired, overdue=outcome.status.is_open and _due(outcome.decision) < today,
    )  # fmt: skip


def _due(decision: n.RiskDecision | None) -> datetime.date:
    due = decision.get("due") if decision is not None else None
    return due if isinstance(due, datetime.date) else datetime.date.max


def _model_owner(model: n.Model) -> str | None:
    owner = model.info.get("owner") if model.info is not None else None
    if owner:
        return str(owner)
    return next((m.id for m in model.team if "security_lead" in m.roles), None)
