"""What a diagram shows, decided from the model alone (no diagrams, no Graphviz).

A `Scene` lists the boundaries, elements and edges to draw. Edges are flows in model order; a reply
whose request says `merge_reply: true` (the default) shares its request's edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tmdiag.model.nodes import Boundary, Element, Flow, Model
from tmdiag.results import Finding, RiskLevel

MARKED_RISKS = (RiskLevel.CRITICAL, RiskLevel.HIGH)  # open findings at these levels colour their target


@dataclass(frozen=True)
class Edge:
    """One drawn edge: a flow, or a request with its merged reply (`flows[1]`)."""

    flows: tuple[Flow, ...]
    source: str
    sink: str

    @property
    def number(self) -> int:
        return self.flows[0].number

    @property
    def both_ways(self) -> bool:
        return len(self.flows) > 1


@dataclass
class Scene:
    boundaries: list[Boundary] = field(default_factory=list)  # model order; parents before children
    elements: list[Element] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    focus: str | None = None  # the boundary a view is about
    risk: dict[str, RiskLevel] = field(default_factory=dict)  # element id / flow_key(flow) -> top open risk
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # same keys, open findings
    rated: bool = False  # findings were given (tooltips then say "none open" where there are none)


def flow_key(flow: Flow) -> str:
    """A flow's key in `Scene.risk`: not `flow-<n>`, which is also a valid element id."""
    return f"flow #{flow.number}"


def _edges(model: Model, flows: Iterable[Flow]) -> list[Edge]:
    chosen = list(flows)
    by_number = {f.number: f for f in model.flows}
    chosen_numbers = {f.number for f in chosen}
    replies: dict[int, Flow] = {}
    for flow in chosen:
        request = by_number.get(flow.reply_to) if flow.reply_to is not None else None
        if request is not None and request.number in chosen_numbers and _merges(request, flow):
            replies.setdefault(request.number, flow)
    merged = {reply.number for reply in replies.values()}
    edges = []
    for flow in chosen:
        if flow.number in merged:
            continue
        reply = replies.get(flow.number)
        edges.append(Edge((flow, reply) if reply else (flow,), flow.source, flow.sink))
    return edges


def _merges(request: Flow, reply: Flow) -> bool:
    same_pair = {request.source, request.sink} == {reply.source, reply.sink}
    return same_pair and bool(request.get("merge_reply", True)) and bool(reply.get("merge_reply", True))


def _with_ancestors(model: Model, boundary_ids: Iterable[str | None]) -> list[Boundary]:
    wanted: set[str] = set()
    for boundary_id in boundary_ids:
        wanted.update(b.id for b in model.boundary_chain(boundary_id))
    return [b for b in model.boundaries if b.id in wanted]


def whole(model: Model) -> Scene:
    """The whole model in one picture."""
    return Scene(list(model.boundaries), list(model.elements), _edges(model, model.flows))


def view(model: Model, boundary_id: str, *, deep: bool = True) -> Scene:
    """One boundary and what crosses it: its elements (with nested boundaries when `deep`), every
    flow touching them, and the elements at the other end, each in its own boundaries."""
    if deep:
        inside = {e.id for e in model.elements if boundary_id in {b.id for b in model.boundary_chain(e.boundary)}}
    else:
        inside = {e.id for e in model.elements if e.boundary == boundary_id}
    flows = [f for f in model.flows if f.source in inside or f.sink in inside]
    shown = inside | {f.source for f in flows} | {f.sink for f in flows}
    elements = [e for e in model.elements if e.id in shown]
    nested = [b.id for b in model.boundaries if deep and boundary_id in {c.id for c in model.boundary_chain(b.id)}]
    boundaries = _with_ancestors(model, [boundary_id, *nested, *(e.boundary for e in elements)])
    return Scene(boundaries, elements, _edges(model, flows), focus=boundary_id)


def top_level(model: Model) -> Scene:
    """Elements outside every boundary, with what they talk to (for per-boundary views)."""
    inside = {e.id for e in model.elements if e.boundary is None}
    flows = [f for f in model.flows if f.source in inside or f.sink in inside]
    shown = inside | {f.source for f in flows} | {f.sink for f in flows}
    elements = [e for e in model.elements if e.id in shown]
    return Scene(_with_ancestors(model, [e.boundary for e in elements]), elements, _edges(model, flows))


def attach_risk(scene: Scene, model: Model, findings: Sequence[Finding]) -> None:
    """Record each target's open findings and its top open risk (critical before high, …)."""
    scene.rated = True
    for finding in findings:
        if not finding.is_open:
            continue
        key = _target_key(model, finding.target_id)
        if key is None:
            continue
        scene.findings.setdefault(key, []).append(finding)
        if key not in scene.risk or finding.risk > scene.risk[key]:
            scene.risk[key] = finding.risk


def _target_key(model: Model, target: str) -> str | None:
    if model.element(target) is not None:
        return target
    flow = model.flow(target)
    if flow is None and target.startswith("flow-") and target[5:].isdigit():
        flow = next((f for f in model.flows if f.number == int(target[5:])), None)
    return flow_key(flow) if flow is not None else None


def edge_risk(scene: Scene, edge: Edge) -> RiskLevel | None:
    levels = [scene.risk[flow_key(f)] for f in edge.flows if flow_key(f) in scene.risk]
    return max(levels) if levels else None
