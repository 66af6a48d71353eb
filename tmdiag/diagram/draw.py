"""Scene -> DOT through `diagrams`: boundaries become nested clusters, elements nodes (provider
icons in the cloud style), flows edges.

`diagrams` names nodes with uuid4 and clusters after their label (two boxes with one label merge),
and renders when its `with` block ends. Here every node and cluster gets a stable id from the
model, labels are placeholders (ids) that `post.py` replaces with escaped text, and nothing renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import diagrams
import pydot

from tmdiag.diagram import icons
from tmdiag.diagram.scene import Scene
from tmdiag.model.nodes import Element, Model

# Classic data-flow shapes (style dfd).
DFD_SHAPES: dict[str, dict[str, str]] = {
    "actor": {"shape": "box"},
    "external": {"shape": "box", "peripheries": "2"},
    "process": {"shape": "ellipse"},
    "server": {"shape": "box3d"},
    "lambda": {"shape": "box", "style": "rounded,filled"},
    "datastore": {"shape": "cylinder"},
    "llm": {"shape": "hexagon"},
    "agent": {"shape": "octagon"},
}


def node_id(element_id: str) -> str:
    return f"el_{element_id}"


def cluster_id(boundary_id: str) -> str:
    return f"cluster_tb_{boundary_id}"


def empty_id(boundary_id: str) -> str:
    return f"empty_{boundary_id}"


EMPTY = "(no elements)"
STUB_ATTRS = {"shape": "box", "style": "dashed,rounded,filled", "fontsize": "12", "width": "0.8", "height": "0.35",
              "fixedsize": "false", "fontcolor": "#4D5656", "color": "#7F8C8D"}  # fmt: skip
EMPTY_ATTRS = {"shape": "plaintext", "style": "", "fontsize": "12", "width": "0.3", "height": "0.3"}


@dataclass
class Drawn:
    graph: pydot.Dot  # what diagrams drew, as a pydot graph for post-processing
    source: str = ""  # the DOT text diagrams itself wrote (same graph; kept for comparison)
    icon_paths: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Canvas(diagrams.Diagram):
    """A diagrams Diagram that never renders: its graph is laid out by tmdiag."""

    def __exit__(self, *exc: object) -> None:
        diagrams.setdiagram(None)


class _Box(diagrams.Cluster):
    """A cluster named after the boundary id, not its label (so two boundaries never merge)."""

    def __init__(self, boundary_id: str) -> None:
        super().__init__(label=boundary_id)
        self.name = cluster_id(boundary_id)
        self.dot.name = self.name


class _Mirror:
    """Copies each node, cluster and edge diagrams creates into a pydot graph, attributes and all.

    Parsing diagrams' DOT text with pydot costs seconds (2.5 s at 200 elements: pyparsing
    backtracks through nested clusters); copying the objects gives the same graph at once."""

    def __init__(self, canvas: diagrams.Diagram) -> None:
        self.graph = pydot.Dot("tmdiag", graph_type="digraph")
        for key, value in canvas.dot.graph_attr.items():
            self.graph.set(key, value)
        self.graph.set_node_defaults(**canvas.dot.node_attr)
        self.graph.set_edge_defaults(**canvas.dot.edge_attr)

    @staticmethod
    def cluster(holder: pydot.Graph, box: _Box) -> pydot.Subgraph:
        sub = pydot.Subgraph(box.name)
        for key, value in box.dot.graph_attr.items():
            sub.set(key, value)
        holder.add_subgraph(sub)
        return sub

    @staticmethod
    def node(holder: pydot.Graph, node: diagrams.Node) -> None:
        holder.add_node(pydot.Node(node.nodeid, label=node.label, **node._attrs))

    def edge(self, source: diagrams.Node, sink: diagrams.Node, link: diagrams.Edge) -> None:
        self.graph.add_edge(pydot.Edge(source.nodeid, sink.nodeid, **link.attrs))


def _canvas() -> _Canvas:
    return _Canvas(name="tmdiag", filename="tmdiag", direction="LR", curvestyle="curved", show=False, outformat="svg")


def build(model: Model, scene: Scene, style: str) -> Drawn:
    kids: dict[str | None, list[str]] = {}
    shown = {b.id for b in scene.boundaries}
    for boundary in scene.boundaries:  # inside the nearest ancestor drawn (views skip some levels)
        parent = next((b.id for b in model.boundary_chain(boundary.parent) if b.id in shown), None)
        kids.setdefault(parent, []).append(boundary.id)
    members: dict[str | None, list[Element]] = {}
    for element in scene.elements:
        members.setdefault(element.boundary if element.boundary in shown else None, []).append(element)
    nodes: dict[str, diagrams.Node] = {}
    icon_paths: list[str] = []
    notes: list[str] = []

    def place(boundary_id: str | None, holder: pydot.Graph) -> None:
        for element in members.get(boundary_id, []):
            if element.id in scene.stubs:  # a neighbour outside the view: a small dashed box, no icon
                nodes[element.id] = diagrams.Node(element.id, nodeid=node_id(element.id), **STUB_ATTRS)
            else:
                nodes[element.id] = _node(model, element, style, icon_paths, notes)
            mirror.node(holder, nodes[element.id])
        if boundary_id is not None and not members.get(boundary_id) and not kids.get(boundary_id):
            # Graphviz does not draw an empty cluster: keep the boundary visible
            mirror.node(holder, diagrams.Node(EMPTY, nodeid=empty_id(boundary_id), **EMPTY_ATTRS))
        for child in kids.get(boundary_id, []):
            with _Box(child) as box:
                place(child, mirror.cluster(holder, box))

    with _canvas() as canvas:
        mirror = _Mirror(canvas)
        place(None, mirror.graph)
        for edge in scene.edges:
            if edge.source in nodes and edge.sink in nodes:
                link = _Link(nodes[edge.source], forward=True, reverse=edge.both_ways, id=f"flow-{edge.number}")
                nodes[edge.source].connect(nodes[edge.sink], link)
                mirror.edge(nodes[edge.source], nodes[edge.sink], link)
        source = canvas.dot.source
    return Drawn(mirror.graph, source, icon_paths, notes)


class _Link(diagrams.Edge):
    """An edge without diagrams' per-edge font attributes (the graph's edge defaults carry them)."""

    _default_edge_attrs: ClassVar[dict[str, str]] = {}


def _node(model: Model, element: Element, style: str, icon_paths: list[str], notes: list[str]) -> diagrams.Node:
    icon = _icon(model, element, style, notes)
    attrs: dict[str, Any] = {}
    if style == "dfd":
        attrs = dict(DFD_SHAPES.get(element.kind, {"shape": "box"}))
        if element.kind == "process" and element.get("multiple"):
            attrs["peripheries"] = "2"
    elif icon is None:  # pragma: no cover - the cloud style always has an icon
        icon = diagrams.Node
    cls = icon or diagrams.Node
    if icon is not None:
        path = icons.icon_path(icon)
        if path not in icon_paths:
            icon_paths.append(path)
    return cls(element.id, nodeid=node_id(element.id), **attrs)


def _icon(model: Model, element: Element, style: str, notes: list[str]) -> type[diagrams.Node] | None:
    name = element.get("icon")
    if name:
        found = icons.resolve(str(name))
        if found is not None:
            return found
        notes.append(
            f"unknown icon `{name}` on `{element.id}`: "
            + ("drawn with its kind's icon" if style == "cloud" else "drawn without an icon")
        )
    return icons.default_for(model, element) if style == "cloud" else None


def summary_id(boundary_id: str | None) -> str:
    return f"sum_{boundary_id or '_top'}"


def build_overview(model: Model) -> Drawn:
    """Big models: one node per boundary (in its nested cluster), one edge per pair of boundaries
    with flows between them. Labels and counts are set in `post.decorate_overview`."""
    kids: dict[str | None, list[str]] = {}
    for boundary in model.boundaries:
        kids.setdefault(boundary.parent, []).append(boundary.id)
    nodes: dict[str | None, diagrams.Node] = {}

    def place(boundary_id: str | None, holder: pydot.Graph) -> None:
        if boundary_id is not None or any(e.boundary is None for e in model.elements):
            nodes[boundary_id] = diagrams.Node(summary_id(boundary_id), nodeid=summary_id(boundary_id), shape="note")
            mirror.node(holder, nodes[boundary_id])
        for child in kids.get(boundary_id, []):
            with _Box(child) as box:
                place(child, mirror.cluster(holder, box))

    with _canvas() as canvas:
        mirror = _Mirror(canvas)
        place(None, mirror.graph)
        for (source, sink), _count in boundary_links(model).items():
            if source in nodes and sink in nodes:
                link = _Link(nodes[source], forward=True, id=f"link-{source or '_top'}-{sink or '_top'}")
                nodes[source].connect(nodes[sink], link)
                mirror.edge(nodes[source], nodes[sink], link)
        source_text = canvas.dot.source
    return Drawn(mirror.graph, source_text)


def boundary_links(model: Model) -> dict[tuple[str | None, str | None], int]:
    """(innermost boundary of source, of sink) -> number of flows, for flows between boundaries."""
    links: dict[tuple[str | None, str | None], int] = {}
    for flow in model.flows:
        source, sink = model.element(flow.source), model.element(flow.sink)
        if source is None or sink is None or source.boundary == sink.boundary:
            continue
        key = (source.boundary, sink.boundary)
        links[key] = links.get(key, 0) + 1
    return links
