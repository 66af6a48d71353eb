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

from tmdiag.diagnostics import Diagnostic
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


@dataclass(frozen=True)
class Register:
    findings: tuple[Finding, ...]  # ranked: highest risk first
    diagnostics: tuple[Diagnostic, ...]  # stale and expired decisions, unused exclusions and control claims
    excluded: tuple[Finding, ...] = ()

    @property
    def summary(self) -> Summary:
        return Summary.of(self.findings)


def lint_decisions(model: n.Model, lint: Sequence[Diagnostic], today: datetime.date) -> list[Diagnostic]:
    """Stale or expired decisions on lint rules (`risk TM401 on …`), judged without the threats:
    what `tmdiag check` can tell about decisions (the others need the threat enumeration)."""
    if not any(threatlib.is_lint_code(risk.id) for risk in model.risks):
        return []
    register = build(model, ThreatAnalysis((), ()), lint, today, judged=threatlib.is_lint_code)
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
    seen: set[tuple[str, str]] = set()
    for diagnostic in lint:
        rule = rule_of(diagnostic.code)
        if rule is None or rule.risk is None:
            continue
        node = locator.at(diagnostic.span)
        target_id = node.id if node is not None else MODEL_TARGET
        if (rule.code, target_id) in seen:
            continue  # one finding per rule and target; the diagnostics say where else
        seen.add((rule.code, target_id))
        finding = _finding(model, rule.code, rule, node, diagnostic, table, risk, today)
        assumption = table.exclusion((rule.code, target_id))
        if assumption is not None:
            excluded.append(dataclasses.replace(finding, assumption=assumption.id))
        else:
            listed.append(finding)
    order = {node.id: i for i, node in enumerate((*model.elements, *model.flows, *model.boundaries))}
    listed.sort(key=lambda f: (-f.risk.order, -f.score, order.get(f.target_id, len(order)), f.threat_id))
    ranked = tuple(dataclasses.replace(f, rank=i) for i, f in enumerate(listed, 1))
    by_target: dict[str, list[str]] = {}
    for f in ranked:
        by_target.setdefault(f.target_id, []).append(f.threat_id)
    decided = [(f.threat_id, f.target_id) for f in ranked]
    out = {(f.threat_id, f.target_id) for f in excluded}
    problems = dec.diagnostics(table, decided, out, by_target, model, today, judged)
    others = [d for d in threats.diagnostics if d.code not in ("E406", "E407", "E408", "E409")]
    return Register(ranked, tuple(sorted(dict.fromkeys((*others, *problems)), key=lambda d: d.sort_key)),
                    tuple(excluded))  # fmt: skip


def _finding(model: n.Model, code: str, rule: Rule, node: Target | None, diagnostic: Diagnostic,
             table: dec.Decisions, risk: RiskModel, today: datetime.date) -> Finding:  # fmt: skip
    assert rule.risk is not None
    likelihood, impact = rule.risk
    title = rule.summary.rstrip(".")
    threat = Threat(code, title, rule.rationale, "", rule.fix, help_uri(code), impact, likelihood, "lint")
    target_id = node.id if node is not None else MODEL_TARGET
    owner = model.owner_of(node) if node is not None else _model_owner(model)
    outcome = dec.decide(table, (code, target_id), today, owner)
    rating = risk.rate(target_id, likelihood, impact)
    level = outcome.severity or rating.risk
    override = f"; level set to {level} by the risk decision" if outcome.severity else ""
    if isinstance(node, n.Flow):
        kind, anchor, label = "flow", flow_anchor(node.number), node.title
    elif isinstance(node, n.Element):
        kind, anchor, label = node.kind, element_anchor(node.id), node.title
    elif isinstance(node, n.Boundary):
        kind, anchor, label = "boundary", boundary_anchor(node.id), node.title
    else:
        kind, anchor, label = "model", "overview", model.name
    return Finding(
        threat=threat, target_id=target_id, target_kind=kind, target_label=label, target_anchor=anchor,
        span=diagnostic.span, evidence=(diagnostic.message,), likelihood=WORDS[rating.likelihood - 1],
        impact=WORDS[rating.impact - 1], risk=level, score=rating.score, status=outcome.status, owner=outcome.owner,
        decision=outcome.decision, controls=outcome.controls, explanation=rating.explanation + override,
        expired=outcome.expired,
    )  # fmt: skip


def _model_owner(model: n.Model) -> str | None:
    owner = model.info.get("owner") if model.info is not None else None
    if owner:
        return str(owner)
    return next((m.id for m in model.team if "security_lead" in m.roles), None)
