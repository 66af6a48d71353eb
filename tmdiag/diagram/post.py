"""Finishing the pydot copy of what `diagrams` drew: real labels (escaped), links, tooltips, ids,
risk colours, a legend and the layout attributes that keep Graphviz from crashing."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterator, Mapping

import pydot

from tmdiag.diagram import dottext
from tmdiag.diagram.draw import cluster_id, node_id
from tmdiag.diagram.labels import KIND_NAMES, RISK_COLOURS, TRUST_FILL, edge_lines
from tmdiag.diagram.scene import Edge, Scene, edge_risk, flow_key
from tmdiag.model.anchors import boundary_anchor, element_anchor, flow_anchor
from tmdiag.model.nodes import Boundary, Element, Model
from tmdiag.model.text import for_output

# Removed from what diagrams writes: its padding is huge, and the fixed node size hides long labels.
_DROP_GRAPH = ("pad", "label", "splines", "rankdir", "nodesep", "ranksep")


MAX_LINE = 300  # characters of one line of a label or tooltip; a longer one ends in "…"
MAX_QUOTED = 12_000  # UTF-8 bytes of one DOT string: Graphviz refuses strings over 16,384 bytes


def _shortened(value: str) -> str:
    value = str(value)
    return value if len(value) <= MAX_LINE else value[: MAX_LINE - 1] + "…"


def text(value: str) -> str:
    """Escape one line for a DOT string: backslashes and quotes for DOT, `&` for Graphviz's own
    entity handling (so `&lt;` written by a user stays `&lt;` on screen). Model text is made safe
    first (`for_output`: XML-legal, isolated for direction), so the SVG is well-formed and a bidi
    control in one label cannot reorder the rest of a line; a line longer than MAX_LINE is cut."""
    return (for_output(_shortened(value)).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
            .replace("\r", " ").replace("\n", " "))  # fmt: skip


def quoted(*lines: str) -> str:
    kept: list[str] = []
    size = 0
    for line in (text(line) for line in lines if line != ""):
        size += len(line.encode("utf-8")) + 2
        if size > MAX_QUOTED:  # a label or tooltip of hundreds of lines: Graphviz would refuse it
            kept.append("…")
            break
        kept.append(line)
    return '"' + "\\n".join(kept) + '"'


def decorate(
    graph: pydot.Dot,
    model: Model,
    scene: Scene,
    *,
    style: str,
    link_prefix: str,
    id_prefix: str,
    graph_attrs: Mapping[str, str],
    legend: bool,
    loose: bool = False,
) -> str:
    """Finish the graph in place and return its DOT. `loose`: flows that cross a boundary do not
    set ranks (keeps dot fast on big graphs; otherwise chains of flows make hundreds of ranks)."""
    _prepare(graph, graph_attrs, style, scene.title or model.name)
    by_node = {node_id(e.id): e for e in scene.elements}
    by_cluster = {cluster_id(b.id): b for b in scene.boundaries}
    by_edge = {f'"flow-{e.number}"': e for e in scene.edges} | {f"flow-{e.number}": e for e in scene.edges}
    ctx = _Context(model, scene, style, link_prefix, id_prefix)
    for sub in _subgraphs(graph):
        boundary = by_cluster.get(str(sub.get_name()).strip('"'))
        if boundary is not None:
            ctx.boundary(sub, boundary)
    for holder in [graph, *_subgraphs(graph)]:
        for node in holder.get_nodes():
            element = by_node.get(node.get_name().strip('"'))
            if element is not None:
                ctx.element(node, element)
    for dot_edge in graph.get_edges():
        edge = by_edge.get(str(dot_edge.get("id")))
        if edge is not None:
            ctx.edge(dot_edge, edge)
    if legend:
        graph.add_subgraph(_legend(id_prefix))
    if loose:
        loosen(graph, crossing={flow_anchor(e.number) for e in scene.edges if model.crosses_boundary(e.flows[0])})
    return dottext.to_dot(graph)


def loosen(graph: pydot.Dot, *, crossing: set[str] | None = None, all_edges: bool = False) -> None:
    """Let edges stop constraining ranks: those whose flow crosses a boundary, or all of them."""
    if all_edges:
        graph.set("splines", "line")
    for dot_edge in graph.get_edges():
        anchor = str(dot_edge.get("URL") or "").strip('"').rpartition("#")[2]
        if all_edges or (crossing is not None and anchor in crossing):
            dot_edge.set("constraint", "false")


def _prepare(graph: pydot.Graph, graph_attrs: Mapping[str, str], style: str, title: str) -> None:
    for key in _DROP_GRAPH:
        graph.get_attributes().pop(key, None)
    for key, value in graph_attrs.items():
        graph.set(key, value)
    graph.set("label", quoted(title))
    graph.set("labelloc", "t")
    for sub in _subgraphs(graph):
        for key in ("bgcolor", "rankdir", "shape"):  # diagrams' cluster attributes tmdiag replaces
            sub.get_attributes().pop(key, None)
    for edge_defaults in graph.get_node("edge"):
        edge_defaults.get_attributes().update(fontname='"Sans-Serif"', fontsize="12", fontcolor='"#2D3436"')
    defaults = graph.get_node("node")
    if defaults and style == "dfd":
        attrs = defaults[0].get_attributes()
        attrs.update(labelloc="c", fixedsize="false", width="1.3", height="0.6", style="filled")
        attrs.pop("imagescale", None)


def _subgraphs(graph: pydot.Graph) -> Iterator[pydot.Subgraph]:
    for sub in graph.get_subgraphs():
        yield sub
        yield from _subgraphs(sub)


class _Context:
    def __init__(self, model: Model, scene: Scene, style: str, link_prefix: str, id_prefix: str) -> None:
        self.model, self.scene, self.style = model, scene, style
        self.link_prefix, self.id_prefix = link_prefix, id_prefix

    def _link(self, target: pydot.Common, anchor: str, tooltip: list[str]) -> None:
        target.set("URL", quoted(f"{self.link_prefix}#{anchor}"))
        target.set("target", '"_top"')
        target.set("tooltip", quoted(*tooltip))
        target.set("id", quoted(f"{self.id_prefix}{anchor}"))

    def _risk_lines(self, key: str) -> list[str]:
        risk = self.scene.risk.get(key)
        if risk is None:
            return ["top risk: none open"] if self.scene.rated else []
        ranked = sorted(self.scene.findings.get(key, []), key=lambda f: (-f.risk.order, f.threat_id))
        titles = list(dict.fromkeys(f"{f.threat_id} {f.title}" for f in ranked))
        more = f" (+{len(titles) - 3} more)" if len(titles) > 3 else ""
        return [f"top risk: {risk}", *titles[:3], *([more.strip()] if more else [])]

    def _title(self, element_id: str) -> str:
        element = self.model.element(element_id)
        return element.title if element is not None else element_id

    def boundary(self, sub: pydot.Subgraph, boundary: Boundary) -> None:
        trust = str(boundary.get("trust"))
        sub.set("label", quoted(boundary.title, f"trust: {trust}"))
        sub.set("style", '"dashed,rounded,filled"')
        sub.set("pencolor", '"#5D6D7E"' if boundary.id != self.scene.focus else '"#1F618D"')
        sub.set("penwidth", "1.5" if boundary.id != self.scene.focus else "2.5")
        sub.set("fillcolor", quoted(TRUST_FILL.get(trust, "#FFFFFF")))
        sub.get_attributes().pop("bgcolor", None)
        kind = boundary.get("kind")
        self._link(
            sub,
            boundary_anchor(boundary.id),
            [f"Trust boundary: {boundary.title}", f"trust: {trust}", *([f"kind: {kind}"] if kind else [])],
        )

    def stub(self, node: pydot.Node, element: Element) -> None:
        """A neighbour outside the view: its name, linking to its own boundary's view."""
        kind = KIND_NAMES.get(element.kind, element.kind)
        node.set("label", quoted(element.title))
        node.set("fillcolor", '"#FFFFFF"')
        boundary = self.model.boundary(element.boundary) if element.boundary else None
        where = f"in {boundary.title}" if boundary is not None else "outside every boundary"
        target = self.scene.links.get(element.id)
        if element.id in self.scene.groups:  # a box for several elements: their names in the tooltip
            names = [self._title(i) for i in self.scene.groups[element.id]]
            anchor = boundary_anchor(element.boundary) if element.boundary else "diagram"
            more = [f"+{len(names) - 8} more"] if len(names) > 8 else []
            self._link(node, anchor, [element.title, *names[:8], *more, *([f"view: {target}"] if target else [])])
            node.set("id", quoted(f"{self.id_prefix}{element.id}"))  # not the boundary's own box id
        else:
            self._link(node, element_anchor(element.id), [f"{kind}: {element.title}", where,
                                                          *([f"view: {target}"] if target else [])])  # fmt: skip
        if target:
            node.set("URL", quoted(target))

    def element(self, node: pydot.Node, element: Element) -> None:
        if element.id in self.scene.stubs:
            self.stub(node, element)
            return
        kind = KIND_NAMES.get(element.kind, element.kind)
        image = str(node.get("image") or "").strip('"')
        if self.style == "cloud":  # fixed-size icon nodes: wrap long names, grow as diagrams does
            lines = textwrap.wrap(element.title, 24, break_long_words=False) or [element.title]
            node.set("label", quoted(*lines))
            height = float(str(node.get("height") or "1.9").strip('"')) + 0.4 * (len(lines) - 1)
            node.set("height", f"{height:.1f}")
        elif image:  # a small icon above the name, inside the DFD shape
            for key in ("image", "imagescale", "imagepos", "labelloc", "width", "height"):
                node.get_attributes().pop(key, None)
            node.set("label", icon_label(image, element.title, f"«{kind.lower()}»"))
        else:
            node.set("label", quoted(element.title, f"«{kind.lower()}»"))
        trust = self.model.trust_of(element.id) or "none (outside every boundary)"
        self._link(
            node,
            element_anchor(element.id),
            [f"{kind}: {element.title}", f"trust: {trust}", *self._risk_lines(element.id)],
        )
        if self.style == "dfd":
            node.set("style", quoted(_styles(node)))
            node.set("fillcolor", '"#FFFFFF"')
            node.set("width", node.get("width") or "1.3")
            node.set("height", node.get("height") or "0.6")
            node.set("fixedsize", "false")
        risk = self.scene.risk.get(element.id)
        if risk in RISK_COLOURS:
            node.set("color", quoted(RISK_COLOURS[risk]))
            node.set("penwidth", "3")
            node.set("fontcolor", quoted(RISK_COLOURS[risk]))
            if self.style == "cloud":  # an icon node has no outline: draw one
                node.set("shape", "box")
                node.set("style", '"rounded"')

    def edge(self, dot_edge: pydot.Edge, edge: Edge) -> None:
        dot_edge.set("label", quoted(*edge_lines(edge.flows, self.scene.wire, self.scene.numbers, self.scene.data)))
        tooltip = [f"Flow {f.number}: {self._title(f.source)} → {self._title(f.sink)}" for f in edge.flows]
        crossing = self.model.crossed_boundaries(edge.flows[0])
        crossed = [b.id for group in crossing for b in group]
        if crossed:
            tooltip.append("crosses: " + ", ".join(crossed))
        keys = [flow_key(f) for f in edge.flows]
        for flow, key in zip(edge.flows, keys, strict=True):
            lines = self._risk_lines(key) if key in self.scene.risk else []
            tooltip.extend([f"flow {flow.number} {lines[0]}", *lines[1:]] if len(edge.flows) > 1 and lines else lines)
        if self.scene.risk and not any(k in self.scene.risk for k in keys):
            tooltip.append("top risk: none open")
        self._link(dot_edge, flow_anchor(edge.number), tooltip)
        dot_edge.set("labeltooltip", quoted(*tooltip))  # the label is a link of its own in SVG
        risk = edge_risk(self.scene, edge)
        if risk in RISK_COLOURS:
            dot_edge.set("color", quoted(RISK_COLOURS[risk]))
            dot_edge.set("fontcolor", quoted(RISK_COLOURS[risk]))
            dot_edge.set("penwidth", "2.5")


def icon_label(image: str, *lines: str) -> str:
    """An HTML-like label: the icon, 28 px, above the escaped text lines."""
    rows = "".join(f"<TR><TD>{html.escape(for_output(_shortened(line)), quote=True)}</TD></TR>" for line in lines)
    source = html.escape(image, quote=True)
    icon = f'<TR><TD FIXEDSIZE="TRUE" WIDTH="28" HEIGHT="28"><IMG SRC="{source}" SCALE="TRUE"/></TD></TR>'
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{icon}{rows}</TABLE>>'


def _styles(node: pydot.Node) -> str:
    parts = [p for p in str(node.get("style") or "").strip('"').split(",") if p]
    return ",".join(dict.fromkeys([*parts, "filled"]))


def _legend(id_prefix: str) -> pydot.Subgraph:
    legend = pydot.Subgraph(
        "cluster_legend",
        label='"Legend"',
        style='"rounded"',
        pencolor='"#AEB6BE"',
        fontsize="12",
        id=quoted(f"{id_prefix}legend"),
    )
    for risk, colour in RISK_COLOURS.items():
        legend.add_node(
            pydot.Node(
                f"legend_{risk}",
                label=quoted(f"open {risk} finding"),
                shape="box",
                style='"rounded"',
                color=quoted(colour),
                fontcolor=quoted(colour),
                penwidth="3",
                fontsize="12",
                fixedsize="false",
                width="1.4",
                height="0.4",
            )
        )
    return legend


def decorate_overview(
    graph: pydot.Dot,
    model: Model,
    *,
    link_prefix: str,
    id_prefix: str,
    graph_attrs: Mapping[str, str],
    views: Mapping[str, str],
) -> str:
    """The overview of a model drawn as per-boundary views: counts per boundary, flows between them.
    `views` maps a boundary id to the file name of its view (the summary node links there)."""
    from tmdiag.diagram.draw import boundary_links, summary_id

    _prepare(graph, graph_attrs, "dfd", f"{model.name}: overview")
    ctx = _Context(model, Scene(), "dfd", link_prefix, id_prefix)
    by_cluster = {cluster_id(b.id): b for b in model.boundaries}
    for sub in _subgraphs(graph):
        boundary = by_cluster.get(str(sub.get_name()).strip('"'))
        if boundary is not None:
            ctx.boundary(sub, boundary)
    counts: dict[str | None, int] = {}
    for element in model.elements:
        counts[element.boundary] = counts.get(element.boundary, 0) + 1
    summaries = {summary_id(b.id): b.id for b in model.boundaries} | {summary_id(None): None}
    for holder in [graph, *_subgraphs(graph)]:
        for node in holder.get_nodes():
            name = node.get_name().strip('"')
            if name not in summaries:
                continue
            boundary_id = summaries[name]
            count = counts.get(boundary_id, 0)
            where = "outside every boundary" if boundary_id is None else f"directly in {boundary_id}"
            view = views.get(boundary_id or "")
            counted = f"{count} element{'s' if count != 1 else ''}"
            node.set("label", quoted(counted, *([f"view: {view}"] if view else [])))
            node.set("fixedsize", "false")
            node.set("fillcolor", '"#FFFFFF"')
            node.set("width", "1.2")
            node.set("height", "0.5")
            anchor = boundary_anchor(boundary_id) if boundary_id else "diagram"  # top level: the report's diagram
            node.set("URL", quoted(view or f"{link_prefix}#{anchor}"))
            node.set("tooltip", quoted(f"{count} elements {where}"))
            node.set("id", quoted(f"{id_prefix}{name}"))
    # matched by their ends: the edge ids are ambiguous for hyphenated ids (`a`→`b-c`, `a-b`→`c`)
    links = {(summary_id(source), summary_id(sink)): (source, sink, count)
             for (source, sink), count in boundary_links(model).items()}  # fmt: skip
    for dot_edge in graph.get_edges():
        ends = (str(dot_edge.get_source()).strip('"'), str(dot_edge.get_destination()).strip('"'))
        if ends not in links:
            continue
        source, sink, count = links[ends]
        name = str(dot_edge.get("id")).strip('"')
        dot_edge.set("label", quoted(f"{count} flow{'s' if count != 1 else ''}"))
        dot_edge.set("tooltip", quoted(f"{count} flows from {source or 'outside'} to {sink or 'outside'}"))
        dot_edge.set("id", quoted(f"{id_prefix}{name}"))
    return dottext.to_dot(graph)
