"""Open Threat Model 0.2.0 export: everything in the model, mapped field by field (docs/export.md).

- project: the model header (owner from the team), the team, threat agents, assumptions and custom
  rules in `attributes` (as JSON or source text: OTM has no objects for them);
- trustZones: boundaries, `trustRating` from `trust`, nesting as `parent`; elements outside every
  boundary go into one synthetic zone (`attributes.tmdiag:synthetic`), since OTM needs a parent;
- components: elements, their zone, `tags`, processed and stored assets, threat instances;
- dataflows: flows (unnamed ones as `flow-<n>`; a reply names its request in `tmdiag:reply_to`);
- assets: data, with classification and impact as CIA ratings;
- threats: one per finding of the register (`tmdiag threats`: pytm's library, custom rules and the
  lint findings that are risks), with the finding's likelihood and impact (0–100) and its risk level;
- mitigations: controls, and risk decisions (`riskReduction` from the status).

Every attribute without an OTM field is kept in the object's `attributes` under its tmdiag name,
as a string (lists as JSON; a one-or-many attribute always as a list), so an import gets it back.
Inline suppressions (`# tmdiag: ignore[TM201] reason: …`) go with the statement they cover, as
`tmdiag:suppressions` (JSON: rules, reason, and the attribute when they cover one of its lines).
Output is deterministic: model order.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from tmdiag.diagnostics import Span
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.model.levels import Status
from tmdiag.model.values import json_value
from tmdiag.results import Finding

OTM_VERSION = "0.2.0"
TRUST_RATINGS = {"untrusted": 0, "low": 25, "medium": 50, "high": 75, "full": 100}
CLASSIFICATION_RATINGS = {"unknown": 50, "public": 0, "restricted": 25, "sensitive": 60, "secret": 80,
                          "top_secret": 100}  # fmt: skip
LEVEL_RATINGS = {"info": 10, "low": 30, "medium": 50, "high": 70, "critical": 90}
WORD_RATINGS = {"very_low": 10, "low": 30, "medium": 50, "high": 70, "very_high": 90}
STATES = {Status.OPEN: "exposed", Status.IN_PROGRESS: "in-progress", Status.MITIGATED: "mitigated",
          Status.ACCEPTED: "accepted",
          Status.TRANSFERRED: "transferred", Status.AVOIDED: "avoided",
          Status.FALSE_POSITIVE: "not-applicable"}  # fmt: skip
REDUCTIONS = {
    "mitigated": 100,
    "accepted": 0,
    "transferred": 100,
    "avoided": 100,
    "false_positive": 100,
    "open": 0,
    "in_progress": 0,
}
SYNTHETIC_ZONE = "tmdiag-outside"
PREFIX = "tmdiag:"  # attributes that are not a schema attribute of the object's kind
_CWE = re.compile(r"\bCWE-\d+\b")


def attribute_text(value: Any) -> str:
    """An attribute value as an OTM attribute string: lists as JSON, booleans `true`/`false`."""
    data = json_value(value)
    if isinstance(data, list):
        return json.dumps(data, ensure_ascii=False)
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


_LISTS = frozenset({schema.REFS, schema.STRS, schema.IDS, schema.INGRESS})  # one value or a list of them


def _attributes(node: n.Node, skip: Iterable[str] = (), notes: Suppressions | None = None) -> dict[str, str]:
    """The node's attributes as OTM attribute strings; one-or-many values always as a list
    (`on: web` and `on: [web]` export alike); its inline suppressions under `tmdiag:suppressions`."""
    left_out = set(skip)
    out = {key: attribute_text(value) for key, value in _values(node) if key not in left_out}
    carried = notes.of(node) if notes is not None else []
    if carried:
        out[PREFIX + "suppressions"] = json.dumps(carried, ensure_ascii=False)
    return out


class Suppressions:
    """The model's inline suppressions (`# tmdiag: ignore[TM201] reason: …`), each placed on the
    statement holding what it silences — on the attribute when a finding points into one — so that
    an import writes the comment back where it covers the same findings, whatever the layout."""

    def __init__(self, model: n.Model, today: datetime.date | None = None):
        from tmdiag.lint import lint
        from tmdiag.lint.suppress import parse

        found, _ = parse(model)
        raw = lint(model, today=today, suppressed=False) if found else []
        carriers: list[n.Node] = [*([model.info] if model.info else []), *model.team, *model.data, *model.agents,
                                  *model.boundaries, *model.elements, *model.flows, *model.controls, *model.risks,
                                  *model.assumptions]  # fmt: skip
        self.placed: dict[int, list[dict[str, Any]]] = {}
        self.left: list[str] = []  # where the suppressions OTM cannot carry are, as `path:line`
        for suppression in found:
            path, line = suppression.span.path, suppression.target_line
            holding = [c for c in carriers if c.span.path == path and c.span.line <= line <= c.span.end_line]
            if not holding:
                self.left.append(f"{path}:{suppression.span.line}")
                continue
            node = min(holding, key=lambda c: (c.span.end_line - c.span.line, -c.span.line))  # the innermost
            at: dict[str | None, list[str]] = {}  # attribute (None: the statement) -> codes silenced there
            for code in suppression.codes:
                hits = [d for d in raw if d.code == code and d.span.path == path and d.span.line == line]
                places = {_attribute_at(node, d.span) for d in hits} or {_attribute_at(node, None, line)}
                for place in places:
                    at.setdefault(place, []).append(code)
            for place, codes in at.items():
                entry: dict[str, Any] = {"rules": codes, "reason": suppression.reason}
                if place is not None:
                    entry["attribute"] = place
                elif line != node.span.line:  # a line inside the statement that no attribute starts on
                    self.left.append(f"{path}:{suppression.span.line}")
                    continue
                self.placed.setdefault(id(node), []).append(entry)

    def of(self, node: n.Node) -> list[dict[str, Any]]:
        return self.placed.get(id(node), [])


def _attribute_at(node: n.Node, span: Span | None, line: int = 0) -> str | None:
    """The attribute of `node` a finding points into (or that starts on `line`); None: the statement."""
    for attribute in node.attributes:
        where = attribute.span
        if span is not None:
            after_start = (span.line, span.column) >= (where.line, where.column)
            if after_start and (span.line, span.column) < (where.end_line, where.end_column):
                return attribute.key
        elif where.line == line:
            return attribute.key
    return None


def _text(node: n.Node, key: str) -> str | None:
    value = node.get(key) if node.has(key) else None
    return str(value) if value not in (None, "") else None


def document(
    model: n.Model, findings: Sequence[Finding], project_id: str, today: datetime.date | None = None
) -> dict[str, Any]:
    """The OTM document of a model and its findings (the register: `pipeline.Analysis.findings`)."""
    by_target: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.target_id, f.threat_id)):
        by_target.setdefault(finding.target_id, []).append(finding)
    notes = Suppressions(model, today)
    return {
        "otmVersion": OTM_VERSION,
        "project": _project(model, project_id, notes),
        "representations": [],
        "assets": [_asset(d, notes) for d in model.data],
        "trustZones": _zones(model, notes),
        "components": [_component(model, e, by_target.get(e.id, []), notes) for e in model.elements],
        "dataflows": [_dataflow(model, f, by_target.get(f.id, []), notes) for f in model.flows],
        "threats": [_threat(f) for f in sorted(findings, key=lambda f: (f.target_id, f.threat_id))],
        "mitigations": [*(_control(c, notes) for c in model.controls), *(_decision(r, notes) for r in model.risks)],
    }  # fmt: skip


def _project(model: n.Model, project_id: str, notes: Suppressions) -> dict[str, Any]:
    info = model.info
    owner = model.member(str(info.get("owner"))) if info is not None and info.get("owner") else None
    attributes = _attributes(info, skip=("description",), notes=notes) if info is not None else {}
    if model.team:
        attributes[PREFIX + "team"] = json.dumps([
            {"id": m.id, "name": m.label, "roles": list(m.roles), **{a.key: str(a.value) for a in m.attributes},
             **_carried(m, notes)}
            for m in model.team
        ], ensure_ascii=False)  # fmt: skip
    if model.agents:
        attributes[PREFIX + "agents"] = json.dumps(
            [
                {"id": a.id, "name": a.label, **{k: json_value(v) for k, v in _values(a)}, **_carried(a, notes)}
                for a in model.agents
            ],
            ensure_ascii=False,
        )
    if model.assumptions:
        attributes[PREFIX + "assumptions"] = json.dumps(
            [
                {"text": a.label, **{k: json_value(v) for k, v in _values(a)}, **_carried(a, notes)}
                for a in model.assumptions
            ],
            ensure_ascii=False,
        )
    if model.rules:
        attributes[PREFIX + "rules"] = json.dumps([_source(model, r) for r in model.rules], ensure_ascii=False)
    return {
        "name": model.name,
        "id": project_id,
        "description": _text(info, "description") if info is not None else None,
        "owner": (owner.label or owner.id) if owner is not None else None,
        "ownerContact": _text(owner, "email") if owner is not None else None,
        "tags": [],
        "attributes": attributes,
    }


def _carried(node: n.Node, notes: Suppressions) -> dict[str, Any]:
    """The suppressions of a node kept in a project attribute's JSON (team, agents, assumptions)."""
    carried = notes.of(node)
    return {PREFIX + "suppressions": carried} if carried else {}


def _values(node: n.Node) -> list[tuple[str, Any]]:
    """The attributes as written, a one-or-many value always as a list (`on: web` is `on: [web]`)."""
    specs = schema.BY_NAME.get(node.schema_kind, {})
    out = []
    for a in node.attributes:
        spec = specs.get(a.key)
        listed = spec is not None and spec.type in _LISTS and not isinstance(a.value, tuple)
        out.append((a.key, (a.value,) if listed else a.value))
    return out


def _source(model: n.Model, node: n.Node) -> str:
    """A statement's source text, as written (custom rules: their conditions are code-like text)."""
    span = node.span
    lines = model.sources.get(span.path, "").split("\n")[span.line - 1 : span.end_line]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.column - 1 : span.end_column - 1]
    return "\n".join([lines[0][span.column - 1 :], *lines[1:-1], lines[-1][: span.end_column - 1]])


def _asset(data: n.DataAsset, notes: Suppressions) -> dict[str, Any]:
    classification = str(data.get("classification"))
    impact = data.get("impact")
    rating = LEVEL_RATINGS.get(str(impact), 50)
    return {
        "name": data.title, "id": data.id, "description": _text(data, "description"),
        "risk": {"confidentiality": CLASSIFICATION_RATINGS.get(classification, 50), "integrity": rating,
                 "availability": rating, "comment": f"classification {classification}, impact {impact or 'unset'}"},
        "attributes": _attributes(data, skip=("description",), notes=notes),
    }  # fmt: skip


def _zones(model: n.Model, notes: Suppressions) -> list[dict[str, Any]]:
    zones = []
    for boundary in model.boundaries:
        zone: dict[str, Any] = {
            "id": boundary.id, "name": boundary.title, "type": str(boundary.get("kind") or "boundary"),
            "description": _text(boundary, "description"),
            "risk": {"trustRating": TRUST_RATINGS.get(str(boundary.get("trust")), 50)},
            "attributes": _attributes(boundary, skip=("description",), notes=notes),
        }  # fmt: skip
        if boundary.parent:
            zone["parent"] = {"trustZone": boundary.parent}
        zones.append(zone)
    if any(e.boundary is None for e in model.elements):
        zones.append({"id": SYNTHETIC_ZONE, "name": "Outside every boundary", "type": "synthetic",
                      "description": "Elements the model declares outside every boundary (OTM needs a parent).",
                      "risk": {"trustRating": TRUST_RATINGS["medium"]},
                      "attributes": {PREFIX + "synthetic": "true"}})  # fmt: skip
    return zones


def _instances(findings: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for finding in findings:
        mitigations = [{"mitigation": c, "state": "implemented"} for c in finding.controls]
        decision = finding.decision  # the one that applied: scoped decisions too
        if decision is not None and str(decision.get("status")) != "open":
            mitigations.append({"mitigation": decision_id(decision), "state": str(decision.get("status"))})
        out.append({"threat": threat_id(finding), "state": STATES[finding.status], "mitigations": mitigations})
    return out


def _component(model: n.Model, element: n.Element, findings: list[Finding], notes: Suppressions) -> dict[str, Any]:
    processed = sorted({d for f in model.flows_of(element.id) for d in f.ids("data")})
    return {
        "id": element.id, "name": element.title, "type": element.kind, "description": _text(element, "description"),
        "parent": {"trustZone": element.boundary or SYNTHETIC_ZONE},
        "assets": {"processed": processed, "stored": list(element.ids("stores"))},
        "threats": _instances(findings), "tags": [str(t) for t in element.ids("tags")],
        "attributes": _attributes(element, skip=("description", "tags"), notes=notes),
    }  # fmt: skip


def _dataflow(model: n.Model, flow: n.Flow, findings: list[Finding], notes: Suppressions) -> dict[str, Any]:
    attributes = _attributes(flow, skip=("description", "data", "tags"), notes=notes)
    if flow.reply_to is not None:
        request = next((f for f in model.flows if f.number == flow.reply_to), None)
        if request is not None:
            attributes[PREFIX + "reply_to"] = request.id
    return {
        "id": flow.id, "name": flow.title, "description": _text(flow, "description"), "bidirectional": False,
        "source": flow.source, "destination": flow.sink, "assets": list(flow.ids("data")),
        "threats": _instances(findings), "tags": [str(t) for t in flow.ids("tags")],
        "attributes": attributes,
    }  # fmt: skip


def threat_id(finding: Finding) -> str:
    return f"{finding.threat_id}@{finding.target_id}"


def _threat(finding: Finding) -> dict[str, Any]:
    return {
        "id": threat_id(finding), "name": finding.title, "description": finding.description or None,
        "categories": [finding.source], "cwes": sorted(set(_CWE.findall(finding.references))),
        "risk": {"likelihood": WORD_RATINGS.get(finding.likelihood, 50), "likelihoodComment": finding.explanation,
                 "impact": WORD_RATINGS.get(finding.impact, 50),
                 "impactComment": f"risk {finding.risk}, score {finding.score} of 25"},
        "tags": [finding.risk.value, finding.status.value],
        "attributes": {"threat_id": finding.threat_id, "target": finding.target_id, "risk": finding.risk.value,
                       "score": str(finding.score), "status": finding.status.value, "owner": finding.owner or "",
                       "severity": finding.severity, "evidence": json.dumps(list(finding.evidence),
                                                                             ensure_ascii=False)},
    }  # fmt: skip


def _control(control: n.Control, notes: Suppressions) -> dict[str, Any]:
    return {
        "id": control.id, "name": control.title, "description": _text(control, "description"),
        "riskReduction": 100, "attributes": _attributes(control, skip=("description",), notes=notes),
    }  # fmt: skip


def decision_id(decision: n.RiskDecision) -> str:
    return f"decision:{decision.id}@{decision.target}"


def _decision(decision: n.RiskDecision, notes: Suppressions) -> dict[str, Any]:
    status = str(decision.get("status"))
    attributes = {
        PREFIX + "threat": decision.id,
        PREFIX + "target": decision.target,
        **_attributes(decision, notes=notes),
    }
    if decision.threat_pattern:
        attributes[PREFIX + "threat_pattern"] = "true"
    if decision.scope != "id":
        attributes[PREFIX + "scope"] = decision.scope  # kind | pattern
    return {
        "id": decision_id(decision), "name": f"{status.replace('_', ' ')}: {decision.id} on {decision.target}",
        "description": _text(decision, "justification"), "riskReduction": REDUCTIONS.get(status, 0),
        "attributes": attributes,
    }  # fmt: skip


def render(model: n.Model, findings: Sequence[Finding], project_id: str, today: datetime.date | None = None) -> str:
    return json.dumps(document(model, findings, project_id, today), indent=2, ensure_ascii=False) + "\n"
