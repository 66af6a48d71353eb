"""The report's template context: plain dicts, lists, strings, numbers and booleans built from
the model and the analysis results, documented in docs/report.md.

Every lookup goes through an index built once (by id, by element, by boundary), so building
the context is linear in the size of the model and the number of findings.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.model import schema
from tmdiag.model.anchors import boundary_anchor, element_anchor, flow_anchor
from tmdiag.model.locate import Locator
from tmdiag.model.nodes import Duration, Flow, Model, Node, RiskDecision
from tmdiag.report import findings, pages
from tmdiag.report.values import RISKS, STATUSES, plain, text_of
from tmdiag.results import Finding, decision_dict, decision_text

Ctx = dict[str, Any]
COMPACT_ABOVE = 500  # findings; above this each finding links to its mitigations instead of repeating them


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report is made from; the front end gathers it."""

    model: Model
    findings: Sequence[Finding] = ()  # ranked, highest risk first
    analysis_diagnostics: Sequence[Diagnostic] = ()
    lint_diagnostics: Sequence[Diagnostic] = ()
    diagram_svg: str = ""  # inline SVG (already sanitized), "" when there is no diagram
    diagram_notes: Sequence[str] = ()
    diagram_views: Sequence[tuple[str, str]] = ()  # (boundary id, inline SVG) when a big model is split
    diagram_mermaid: str = ""  # the diagram as a Mermaid flowchart, for report.md (`--diagram-format mermaid`)
    diagram_mermaid_views: Sequence[tuple[str, str]] = ()  # (boundary id, Mermaid) when a big model is split
    model_views: Sequence[tuple[str, str, str]] = ()  # the model's `view`s: (view id, inline SVG, Mermaid)
    element_pictures: Mapping[str, str] = field(default_factory=dict)  # element id -> context SVG (safe)
    excluded: Sequence[Finding] = ()  # findings an assumption's `excludes:` took out
    today: datetime.date = field(default_factory=datetime.date.today)
    generated: datetime.date | None = None  # shown only when given (`--date`)
    notes: Sequence[str] = ()  # about the run itself, e.g. "threat analysis unavailable"
    tool_version: str = ""


def view_file(boundary_id: str) -> str:
    return f"dfd-{boundary_id}.svg"


class _Builder:
    def __init__(self, inputs: ReportInputs):
        self.inputs = inputs
        self.model = inputs.model
        self.today = inputs.today
        self.refs: dict[str, Ctx] = {}  # element/boundary/flow id -> small reference dict
        self.flow_refs: dict[str, Ctx] = {}  # flow id and `flow-<n>` -> reference
        self.members: dict[str, Ctx] = {}

    # ---- references -----------------------------------------------------------------
    def ref(self, node_id: str | None) -> Ctx | None:
        """A reference to an element, boundary or flow: {id, name, kind, anchor}."""
        if node_id is None:
            return None
        found = self.refs.get(str(node_id))
        return found if found is not None else {"id": str(node_id), "name": str(node_id), "kind": "", "anchor": ""}

    def owner(self, node: Node) -> dict[str, Ctx | None]:
        """`owner`: the effective owner (Model.owner_from: the node's own, else inherited) as a
        member ref; `owner_from`: the ref of the boundary or element it comes from when inherited."""
        source = self.model.owner_from(node)
        inherited = source is not None and source is not node
        return {"owner": self.member_ref(source.get("owner")) if source is not None else None,
                "owner_from": self.ref(source.id) if inherited and source is not None else None}  # fmt: skip

    def member_ref(self, member_id: Any) -> Ctx | None:
        if not member_id:
            return None
        found = self.members.get(str(member_id))
        if found is not None:
            return found
        return {"id": str(member_id), "name": str(member_id), "roles": [], "anchor": "", "security_lead": False}

    def index_refs(self) -> None:
        for b in self.model.boundaries:
            self.refs.setdefault(
                b.id, {"id": b.id, "name": b.title, "kind": "boundary", "anchor": boundary_anchor(b.id)}
            )
        for e in self.model.elements:
            self.refs.setdefault(e.id, {"id": e.id, "name": e.title, "kind": e.kind, "anchor": element_anchor(e.id)})
        for f in self.model.flows:
            entry = {"id": f.id, "name": f.title, "kind": "flow", "anchor": flow_anchor(f.number), "number": f.number}
            self.refs.setdefault(f.id, entry)
            self.refs.setdefault(flow_anchor(f.number), entry)
            self.flow_refs.setdefault(f.id, entry)
            self.flow_refs.setdefault(flow_anchor(f.number), entry)
        for m in self.model.team:
            self.members[m.id] = {
                "id": m.id, "name": m.title, "roles": [str(r).replace("_", " ") for r in m.roles],
                "anchor": f"member-{m.id}", "security_lead": "security_lead" in m.roles,
            }  # fmt: skip

    # ---- sections -------------------------------------------------------------------
    def report_info(self) -> Ctx:
        info = self.model.info

        def get(key: str) -> Any:
            return info.get(key) if info is not None else None

        reviewed, every = get("reviewed"), get("review_every")
        next_due = every.after(reviewed) if reviewed and isinstance(every, Duration) else None
        overdue = next_due is not None and next_due < self.today
        return {
            "title": self.model.name,
            "description": text_of(get("description")),
            "scope": text_of(get("scope")),
            "version": text_of(get("version")),
            "owner": self.member_ref(get("owner")),
            "cloud": text_of(get("cloud")),
            "path": self.model.path,
            "generated": self.inputs.generated.isoformat() if self.inputs.generated else None,
            "tool_version": self.inputs.tool_version,
            "review": {
                "last": reviewed.isoformat() if reviewed else None,
                "every": text_of(every) or None,
                "next_due": next_due.isoformat() if next_due else None,
                "overdue": overdue,
                "days_overdue": (self.today - next_due).days if overdue and next_due else 0,
                "today": self.today.isoformat(),
                "status": "never reviewed" if not reviewed else ("overdue" if overdue else "current"),
            },
        }

    def attributes(self, node: Node, skip: Iterable[str] = ()) -> list[Ctx]:
        """The attributes as written, but those in `skip` (by name: an alias of one is skipped too)."""
        skipped = set(skip)
        return [{"key": a.key.replace("_", " "), "value": plain(a.value)} for a in node.attributes
                if schema.canonical(node.schema_kind, a.key) not in skipped]  # fmt: skip

    def flows(self, crossing: dict[int, tuple[list[Ctx], list[Ctx]]]) -> list[Ctx]:
        out = []
        for f in self.model.flows:
            exits, enters = crossing[f.number]
            out.append({
                "number": f.number, "id": f.id, "name": f.title, "anchor": flow_anchor(f.number),
                "named": f.named, "source": self.ref(f.source), "sink": self.ref(f.sink),
                "reply_to": self.ref(flow_anchor(f.reply_to)) if f.reply_to else None,
                "protocol": text_of(f.get("protocol")), "port": _port(f.get("port")),
                "tls": _tls(f.get("tls")), "data": [self.data_refs[d] for d in f.ids("data")
                                                    if d in self.data_refs],
                "crosses": bool(exits or enters), "exits": exits, "enters": enters,
                "encrypted": bool(f.get("encrypted")), "authenticated": bool(f.get("authenticates_source")),
                "description": text_of(f.get("description")),
                "attributes": self.attributes(f, ("description", "data", "protocol", "port", "tls",
                                                  "encrypted", "authenticates_source")),
                "threats": [],
            })  # fmt: skip
        return out

    def build(self) -> Ctx:
        model = self.model
        self.index_refs()
        self.data_refs = {
            d.id: {"id": d.id, "name": d.title, "anchor": f"data-{d.id}",
                   "classification": text_of(d.get("classification"))}
            for d in model.data
        }  # fmt: skip
        threats = [self.threat(f) for f in self.inputs.findings]
        flows = self.flows({f.number: self._crossing(f) for f in model.flows})
        flow_by_number = {f["number"]: f for f in flows}
        by_target: dict[str, list[Ctx]] = defaultdict(list)
        for t in threats:
            by_target[t["target"]["id"]].append(t)
            if t["target"]["kind"] == "flow" and t["target"].get("number") in flow_by_number:
                flow_by_number[t["target"]["number"]]["threats"].append(t)
        controls = [self.control(c) for c in model.controls]
        assumptions = [self.assumption(a) for a in model.assumptions]
        by_assumption = {a["id"]: a for a in assumptions}
        for finding in self.inputs.excluded:
            owner = by_assumption.get(finding.assumption or "")
            if owner is not None:
                target = self.flow_refs.get(finding.target_id) if finding.target_kind == "flow" else None
                owner["rules_out"].append({"threat_id": finding.threat_id, "title": finding.title,
                                           "target": target or self.ref(finding.target_id)})  # fmt: skip
        elements = self.elements(flows, by_target, _group_by_target(controls), _group_by_target(assumptions))
        lint = [self.diagnostic(d) for d in self.inputs.lint_diagnostics]
        team = [
            self.members[m.id] | {"email": text_of(m.get("email")), "description": text_of(m.get("description"))}
            for m in model.team
        ]
        return {
            "report": self.report_info(),
            "catalogue": findings.catalogue(threats),
            "compact": len(threats) > COMPACT_ABOVE,
            "team": team,
            "security_lead": next((m for m in team if m["security_lead"]), None),
            "boundaries": self.boundaries(),
            "elements": elements,
            "actors": [e for e in elements if e["is_actor"]],
            "components": [e for e in elements if not e["is_actor"]],
            "element_by_id": {e["id"]: e for e in elements},
            "data": self.data(flows),
            "flows": flows,
            "agents": self.agents(),
            "threats": threats,
            "summary": findings.summary(self.inputs.findings, model),
            "plan": findings.plan(threats),
            "unowned_high": [t for t in threats if t["open"] and t["severe"] and t["owner"] is None],
            "accepted": self.accepted(threats),
            "controls": controls,
            "assumptions": assumptions,
            "cloud_findings": [d for d in lint if d["cloud"]],
            "lint_findings": [d for d in lint if not d["cloud"]],
            "analysis_diagnostics": [self.diagnostic(d) for d in self.inputs.analysis_diagnostics],
            "diagram": {
                "svg": self.inputs.diagram_svg,
                "available": bool(self.inputs.diagram_svg),
                "notes": list(self.inputs.diagram_notes),
                "file": "dfd.svg",
                "mermaid": self.inputs.diagram_mermaid,
                "views": self.views(),
            },
            "views": [
                {
                    "id": vid,
                    "name": view.title,
                    "anchor": f"view-{vid}",
                    "file": f"view-{vid}.svg",
                    "svg": svg,
                    "mermaid": chart,
                    "description": text_of(view.get("description")),
                }
                for vid, svg, chart in self.inputs.model_views
                if (view := self.model.view(vid)) is not None
            ],
            "notes": list(self.inputs.notes),
            "risk_levels": list(RISKS),
            "statuses": list(STATUSES),
        }

    def views(self) -> list[Ctx]:
        """A big model's per-boundary views: SVG for HTML, Mermaid for Markdown, whichever were drawn."""
        svgs, charts = dict(self.inputs.diagram_views), dict(self.inputs.diagram_mermaid_views)
        return [
            {"boundary": self.ref(bid), "svg": svgs.get(bid, ""), "mermaid": charts.get(bid, ""),
             "file": view_file(bid), "anchor": f"view-{bid}"}
            for bid in dict.fromkeys([*svgs, *charts])
        ]  # fmt: skip

    def elements(self, flows: list[Ctx], threats_on: dict[str, list[Ctx]], controls_on: dict[str, list[Ctx]],
                 assumptions_on: dict[str, list[Ctx]]) -> list[Ctx]:  # fmt: skip
        flows_of: dict[str, list[Ctx]] = defaultdict(list)
        for f in flows:
            flows_of[f["source"]["id"]].append(f)
            if f["sink"]["id"] != f["source"]["id"]:
                flows_of[f["sink"]["id"]].append(f)
        out = []
        for e in self.model.elements:
            chain = self.model.boundary_chain(e.boundary)
            out.append({
                **self.refs[e.id], "kind": e.kind, "description": text_of(e.get("description")),
                "boundary": self.ref(e.boundary), "boundaries": [self.refs[b.id] for b in chain],
                "trust": text_of(chain[0].get("trust")) if chain else None,
                **self.owner(e), "in_scope": bool(e.get("in_scope", True)),
                "stores": [self.data_refs[d.id] for d in self.model.stored_data(e.id)],
                "flows": flows_of.get(e.id, []), "threats": threats_on.get(e.id, []),
                "controls": controls_on.get(e.id, []), "assumptions": assumptions_on.get(e.id, []),
                "attributes": self.attributes(e, ("description", "owner", "stores")),
                "is_actor": e.kind == "actor", "picture": self.inputs.element_pictures.get(e.id, ""),
            })  # fmt: skip
        return out

    def boundaries(self) -> list[Ctx]:
        inside: dict[str | None, list[Ctx]] = defaultdict(list)
        for e in self.model.elements:
            inside[e.boundary].append(self.refs[e.id])
        nested: dict[str | None, list[Ctx]] = defaultdict(list)
        for b in self.model.boundaries:
            nested[b.parent].append(self.refs[b.id])
        return [
            {
                **self.refs[b.id], "trust": text_of(b.get("trust")), "boundary_kind": text_of(b.get("kind")),
                "description": text_of(b.get("description")), "parent": self.ref(b.parent), "depth": b.depth,
                "elements": inside.get(b.id, []), "children": nested.get(b.id, []),
                **self.owner(b), "attributes": self.attributes(b, ("description", "trust", "kind", "owner")),
            }
            for b in self.model.boundaries
        ]  # fmt: skip

    def agents(self) -> list[Ctx]:
        """Threat agents, where they enter, and what they reach (Model.reached_by: the risk engine's reach)."""
        out = []
        for agent in self.model.agents:
            reached = self.model.reached_by(agent.id)
            out.append({
                "id": agent.id, "name": agent.title, "anchor": f"agent-{agent.id}",
                "description": text_of(agent.get("description")), "skill": text_of(agent.get("skill")),
                "motive": text_of(agent.get("motive")), "enters": [r for r in map(self.ref, agent.ids("enters")) if r],
                "reaches": [self.refs[r.element] for r in reached],
                "reach": [{"element": self.refs[r.element], "how": r.how, "via": self.ref(r.via) if r.via else None,
                           "text": r.describe()} for r in reached],
                "targets": [self.ref(t) for t in agent.ids("targets")],
            })  # fmt: skip
        return out

    def data(self, flows: list[Ctx]) -> list[Ctx]:
        carried_by: dict[str, list[Ctx]] = defaultdict(list)
        for f in flows:
            for d in f["data"]:
                carried_by[d["id"]].append(f)
        return [
            {
                **self.data_refs[d.id], "description": text_of(d.get("description")),
                "pii": bool(d.get("pii")), "credentials": bool(d.get("credentials")),
                "lifetime": text_of(d.get("lifetime")) if d.get("credentials") else "",
                "impact": text_of(d.get("impact")), "stored_in": [self.refs[e.id] for e in self.model.stored_in(d.id)],
                "carried_by": carried_by.get(d.id, []),
            }
            for d in self.model.data
        ]  # fmt: skip

    def _crossing(self, flow: Flow) -> tuple[list[Ctx], list[Ctx]]:
        exits, enters = self.model.crossed_boundaries(flow)
        return [self.refs[b.id] for b in exits], [self.refs[b.id] for b in enters]

    # ---- threats --------------------------------------------------------------------
    def threat(self, finding: Finding) -> Ctx:
        flow = self.flow_refs.get(finding.target_id) if finding.target_kind == "flow" else None
        if finding.target_kind == "model":  # a lint finding about the model as a whole
            target = {"id": finding.target_id, "name": finding.target_label, "kind": "model",
                      "anchor": finding.target_anchor}  # fmt: skip
        else:
            target = flow or self.ref(finding.target_id) or {}
        return {
            "rank": finding.rank,
            "anchor": finding.anchor,
            "threat_id": finding.threat_id,
            "catalogue_anchor": f"lib-{finding.threat_id}",
            "title": finding.title,
            "description": finding.description,
            "details": finding.details,
            "mitigations": finding.mitigations,
            "references": finding.references,
            "severity": finding.severity,
            "target": target,
            "target_kind": finding.target_kind,
            "evidence": list(finding.evidence),
            "likelihood": finding.likelihood,
            "impact": finding.impact,
            "risk": finding.risk.value,
            "score": finding.score,
            "status": finding.status.value,
            "open": finding.is_open,
            "severe": finding.risk.severe,
            "owner": self.member_ref(finding.owner),
            "decision": self.decision(finding.decision, finding.expired),
            "controls": list(finding.controls),
            "source": finding.source,
            "explanation": finding.explanation,
            "location": _location(finding.span),
            "mitigated_by": list(finding.mitigated_by),
            "due": finding.due.isoformat() if finding.due else None,
            "overdue": finding.overdue,
            "decided_by": _decided_by(finding.decision),
        }

    def decision(self, decision: RiskDecision | None, expired: bool) -> Ctx | None:
        """A decision's fields (results.decision_dict: the JSON outputs' shape), as text for templates."""
        data = decision_dict(decision, expired)
        if data is None:
            return None
        return {key: ("" if value is None and key not in ("until", "due") else value) for key, value in data.items()}

    def accepted(self, threats: list[Ctx]) -> list[Ctx]:
        # an expired acceptance counts as open again, but it is still this decision's finding
        found = [t for t in threats if t["decision"] is not None and t["decision"]["status"] == "accepted"]
        applied = {id(f.decision) for f in self.inputs.findings if f.decision is not None}
        out = [
            {"threat": t, "threat_id": t["threat_id"], "title": t["title"], "target": t["target"],
             "owner": t["owner"], "risk": t["risk"], "decision": t["decision"], "matched": True}
            for t in found
        ]  # fmt: skip
        for r in self.model.risks:
            if str(r.get("status")) != "accepted" or id(r) in applied:
                continue  # a decision that decides findings is listed with them
            out.append({"threat": None, "threat_id": r.id, "title": r.id, "target": self.ref(r.target),
                        "owner": self.member_ref(r.get("owner")), "risk": text_of(r.get("severity")) or "",
                        "decision": self.decision(r, _expired(r, self.today)), "matched": False})  # fmt: skip
        return out

    def control(self, control: Node) -> Ctx:
        return {
            "id": control.id, "name": control.title, "anchor": f"control-{control.id}",
            "description": text_of(control.get("description")),
            "on": [self.ref(t) for t in control.ids("on")],
            "mitigates": [str(m) for m in control.get("mitigates") or ()],
            "owner": self.member_ref(control.get("owner")),
            "automated": bool(control.get("automated")),
        }  # fmt: skip

    def assumption(self, node: Node) -> Ctx:
        return {
            "id": node.id, "text": node.title, "anchor": f"assumption-{node.id}",
            "on": [self.ref(t) for t in node.ids("on")],
            "excludes": [str(x) for x in node.get("excludes") or ()],
            "rules_out": [],
        }  # fmt: skip

    def diagnostic(self, d: Diagnostic) -> Ctx:
        node = self.locator.at(d.span)
        key = None if node is None else flow_anchor(node.number) if isinstance(node, Flow) else node.id
        where = None if key is None else self.refs.get(key) or self.data_refs.get(key)
        return {
            "code": d.code, "message": d.message, "severity": d.severity.label, "hint": d.hint or "",
            "location": f"{d.span.path}:{d.span.line}:{d.span.column}", "target": where,
            "cloud": d.code.startswith("TM4"),
        }  # fmt: skip

    @property
    def locator(self) -> Locator:
        if not hasattr(self, "_locator"):
            self._locator = Locator(self.model)
        return self._locator


def _decided_by(decision: RiskDecision | None) -> Ctx | None:
    """Which decision applied, as written: `risk DE04 on acct`, and where."""
    if decision is None:
        return None
    scope = {"kind": "every element of that kind", "pattern": "every id matching the pattern"}.get(decision.scope, "")
    return {"text": decision_text(decision), "scope": scope, "path": decision.span.path, "line": decision.span.line}


def _expired(decision: RiskDecision, today: datetime.date) -> bool:
    until = decision.get("until")
    return isinstance(until, datetime.date) and until < today


def _location(span: Span) -> Ctx:
    return {"path": span.path, "line": span.line, "column": span.column}


def _group_by_target(items: list[Ctx]) -> dict[str, list[Ctx]]:
    grouped: dict[str, list[Ctx]] = defaultdict(list)
    for item in items:
        for target in item["on"]:
            grouped[target["id"]].append(item)
    return grouped


def _port(value: Any) -> str:
    return "" if value is None or value == -1 else str(value)


def _tls(value: Any) -> str:
    return "" if value in (None, "none") else str(value)


def build_context(inputs: ReportInputs) -> Ctx:
    """The template context for one report (see docs/report.md for every key)."""
    context = _Builder(inputs).build()
    pages.paginate(context)
    return context
