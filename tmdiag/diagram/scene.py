"""What a diagram shows, decided from the model alone (no diagrams, no Graphviz).

A `Scene` lists the boundaries, elements and edges to draw. Edges are flows in model order; a reply
whose request says `merge_reply: true` (the default) shares its request's edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tmdiag.model.nodes import Boundary, Element, Flow, Model, View, as_ids
from tmdiag.results import Finding, RiskLevel

MARKED_RISKS = (RiskLevel.CRITICAL, RiskLevel.HIGH)  # open findings at these levels colour their target


@dataclass(frozen=True)
class Edge:
    """One drawn edge: the flows between two elements (a request with its reply, or every flow
    between the pair when a picture concentrates its edges), in model order."""

    flows: tuple[Flow, ...]
    source: str
    sink: str
    back: bool | None = None  # flows go both ways (None: tell from the flows' own ends)

    @property
    def number(self) -> int:
        return self.flows[0].number

    @property
    def both_ways(self) -> bool:
        if self.back is not None:
            return self.back
        return self.source != self.sink and any(f.source == self.sink for f in self.flows)


@dataclass
class Scene:
    boundaries: list[Boundary] = field(default_factory=list)  # model order; parents before children
    elements: list[Element] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    focus: str | None = None  # the boundary a view is about
    risk: dict[str, RiskLevel] = field(default_factory=dict)  # element id / flow_key(flow) -> top open risk
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # same keys, open findings
    rated: bool = False  # findings were given (tooltips then say "none open" where there are none)
    stubs: set[str] = field(default_factory=set)  # elements drawn small: neighbours outside the view
    links: dict[str, str] = field(default_factory=dict)  # element id -> where it links instead of its anchor
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # box of grouped stubs -> their element ids
    wire: bool = True  # flow labels show `[protocol:port]`
    numbers: bool = False  # flow labels are the flows' numbers only
    data: bool = False  # flow labels name the data assets they carry
    title: str | None = None  # the picture's title (default: the model's name)
    direction: str | None = None  # "LR" or "TB" when the model asks for one


def flow_key(flow: Flow) -> str:
    """A flow's key in `Scene.risk`: not `flow-<n>`, which is also a valid element id."""
    return f"flow #{flow.number}"


def concentrate(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per pair of elements: flows between the same two elements (either way) share an
    arrow, each flow a line of its label. A flow with `merge_reply: false` keeps its own arrow."""
    merged: dict[tuple[str, str], list[Flow]] = {}
    ends: dict[tuple[str, str], tuple[str, str]] = {}
    back: dict[tuple[str, str], bool] = {}
    alone: list[Edge] = []
    order: list[tuple[str, str] | Edge] = []
    for edge in edges:
        if not all(f.get("merge_reply", True) for f in edge.flows):
            alone.append(edge)
            order.append(edge)
            continue
        pair = (min(edge.source, edge.sink), max(edge.source, edge.sink))
        if pair not in merged:
            merged[pair], ends[pair], back[pair] = [], (edge.source, edge.sink), False
            order.append(pair)
        merged[pair].extend(edge.flows)
        back[pair] = back[pair] or edge.both_ways or (edge.source, edge.sink) != ends[pair]
    out = []
    for item in order:
        if isinstance(item, Edge):
            out.append(item)
        else:
            flows = sorted(merged[item], key=lambda f: f.number)
            out.append(Edge(tuple(flows), *ends[item], back=back[item] and ends[item][0] != ends[item][1]))
    return out


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
    return Scene(list(model.boundaries), list(model.elements), concentrate(_edges(model, model.flows)))


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
    return Scene(boundaries, elements, concentrate(_edges(model, flows)), focus=boundary_id)


def boundary_view(model: Model, boundary_id: str | None, links: dict[str | None, str] | None = None) -> Scene:
    """One boundary's view in a split model: the elements directly inside it, every flow touching
    them, and the elements at the other ends as stubs (small, in their own boundaries, linking to
    their boundary's view in `links`). `None`: the elements outside every boundary."""
    inside = {e.id for e in model.elements if e.boundary == boundary_id}
    flows = [f for f in model.flows if f.source in inside or f.sink in inside]
    shown = inside | {f.source for f in flows} | {f.sink for f in flows}
    elements = [e for e in model.elements if e.id in shown]
    elements, edges, grouped = _group_stubs(model, elements, inside, _edges(model, flows))
    stubs = {e.id for e in elements if e.id not in inside}
    # the view's boundary with its ancestors; a stub only in its innermost boundary (kept compact)
    wanted = {b.id for b in model.boundary_chain(boundary_id)} | {e.boundary for e in elements if e.boundary}
    boundaries = [b for b in model.boundaries if b.id in wanted]
    focus = model.boundary(boundary_id) if boundary_id else None
    title = f"{model.name}: {focus.title if focus else 'outside every boundary'}"
    scene = Scene(boundaries, elements, concentrate(edges), focus=boundary_id, stubs=stubs, title=title)
    scene.groups = grouped
    for element in elements:
        if element.id in stubs and links and element.boundary in links:
            scene.links[element.id] = links[element.boundary]
    return scene


GROUP_ABOVE = 6  # stubs in one boundary; more are one box ("7 elements"), their flows one arrow per element


def group_id(boundary_id: str | None) -> str:
    """The id of a box standing for a boundary's stubs: `.` never appears in a model id."""
    return f"{boundary_id or '_top'}.group"


def _group_stubs(model: Model, elements: list[Element], inside: set[str],
                 edges: list[Edge]) -> tuple[list[Element], list[Edge], dict[str, tuple[str, ...]]]:  # fmt: skip
    """A view's stubs, with the stubs of a boundary that has more than GROUP_ABOVE of them drawn as
    one box: (elements, edges re-ended on the boxes, box id -> the element ids it stands for)."""
    by_boundary: dict[str | None, list[Element]] = {}
    for element in elements:
        if element.id not in inside:
            by_boundary.setdefault(element.boundary, []).append(element)
    grouped = {b: members for b, members in by_boundary.items() if len(members) > GROUP_ABOVE}
    if not grouped:
        return elements, edges, {}
    stand_in = {e.id: group_id(b) for b, members in grouped.items() for e in members}
    out: list[Element] = []
    for element in elements:
        box = stand_in.get(element.id)
        if box is None:
            out.append(element)
        elif all(e.id != box for e in out):
            label = f"{len(grouped[element.boundary])} elements"  # the box stands in its boundary's frame
            out.append(Element("group", box, element.span, element.id_span, label, (), element.boundary))
    moved = [Edge(e.flows, stand_in.get(e.source, e.source), stand_in.get(e.sink, e.sink), e.both_ways) for e in edges]
    return out, moved, {group_id(b): tuple(e.id for e in members) for b, members in grouped.items()}


def declared_view(model: Model, declared: View) -> Scene:
    """A `view` statement's picture: what it includes (elements, and everything inside included
    boundaries) in full, minus what it excludes; its neighbours up to `depth` flows away as stubs."""
    include, exclude = as_ids(declared.get("include")), set(as_ids(declared.get("exclude")))
    boundaries_in = {b for b in include if model.boundary(b) is not None}
    boundaries_out = {b for b in exclude if model.boundary(b) is not None}

    def inside(element: Element, chosen: set[str]) -> bool:
        return any(b.id in chosen for b in model.boundary_chain(element.boundary))

    core = {e.id for e in model.elements if (e.id in include or inside(e, boundaries_in))
            and e.id not in exclude and not inside(e, boundaries_out)}  # fmt: skip
    shown = set(core)
    frontier = set(core)
    for _ in range(max(0, int(declared.get("depth", 1) or 0))):
        reached = {f.sink if f.source in frontier else f.source for f in model.flows
                   if (f.source in frontier) != (f.sink in frontier)}  # fmt: skip
        reached = {e for e in reached if e not in shown and e not in exclude}
        shown |= reached
        frontier = reached
    elements = [e for e in model.elements if e.id in shown]
    flows = [f for f in model.flows if f.source in shown and f.sink in shown and (f.source in core or f.sink in core
             or f.source != f.sink)]  # fmt: skip
    stubs = shown - core
    wanted = {b.id for e in elements if e.id in core for b in model.boundary_chain(e.boundary)}
    wanted |= {e.boundary for e in elements if e.boundary} | boundaries_in
    scene = Scene([b for b in model.boundaries if b.id in wanted], elements, concentrate(_edges(model, flows)),
                  stubs=stubs, data=bool(declared.get("data")), title=declared.title)  # fmt: skip
    scene.direction = {"right": "LR", "down": "TB"}.get(str(declared.get("direction") or "auto"))
    return scene


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
