"""The overview of a model drawn as per-boundary views: boundaries as boxes, flows between them counted.

- A boundary without nested boundaries is one box: its name, trust level and element count,
  linking to its view. A boundary with nested ones is a dashed cluster holding them, plus a box
  for the elements directly inside it (when there are any).
- Flows between boundaries are aggregated where they cross the tree: a flow from subnet A in VPC 1
  to subnet B in VPC 2 counts towards the arrow between VPC 1 and VPC 2 (drawn to the clusters'
  borders), not a long arrow from A to B. One arrow per pair, two-headed when flows go both ways,
  labelled with the number of flows; the tooltip says from where to where.

Built directly as a pydot graph (no icons, so `diagrams` has nothing to add).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pydot

from tmdiag.diagram.labels import TRUST_FILL
from tmdiag.diagram.post import quoted
from tmdiag.model.anchors import boundary_anchor
from tmdiag.model.nodes import Model

TOP = "_top"  # the key of elements outside every boundary


def box_id(key: str) -> str:
    return f"ov_{key}"


def _chain(model: Model, boundary_id: str | None) -> list[str]:
    """The boundary's ancestors and itself, outermost first; [TOP] for no boundary."""
    return [b.id for b in reversed(model.boundary_chain(boundary_id))] or [TOP]


@dataclass
class Link:
    """The flows between two boundaries: `forward` from the first to the second, `backward` back;
    `deep[i]` when some flow's element sits in a boundary nested in end i (the arrow meets its cluster)."""

    forward: int = 0
    backward: int = 0
    deep: list[bool] = field(default_factory=lambda: [False, False])


def aggregate(model: Model) -> dict[tuple[str, str], Link]:
    """Flows between boundaries, counted between the two boundaries where their chains part, one
    entry per unordered pair (sorted ids), in the order the pairs first appear."""
    boundary_of = {e.id: e.boundary for e in model.elements}
    links: dict[tuple[str, str], Link] = {}
    for flow in model.flows:
        if flow.source not in boundary_of or flow.sink not in boundary_of:
            continue
        a, b = _chain(model, boundary_of[flow.source]), _chain(model, boundary_of[flow.sink])
        depth = 0
        while depth < min(len(a), len(b)) and a[depth] == b[depth]:
            depth += 1
        if depth == len(a) and depth == len(b):
            continue  # inside one boundary
        # one end may hold the other (an element of a VPC talking to one of its subnets)
        left = (a[depth], depth < len(a) - 1) if depth < len(a) else (a[-1], False)
        right = (b[depth], depth < len(b) - 1) if depth < len(b) else (b[-1], False)
        ends = (left, right) if left[0] <= right[0] else (right, left)
        link = links.setdefault((ends[0][0], ends[1][0]), Link())
        if ends[0] is left:
            link.forward += 1
        else:
            link.backward += 1
        for index, (_, deep) in enumerate(ends):
            link.deep[index] = link.deep[index] or deep
    return links


def flows(n: int) -> str:
    return f"{n} flow{'s' if n != 1 else ''}"


def build(model: Model, views: Mapping[str, str], id_prefix: str, link_prefix: str) -> pydot.Dot:
    """The overview graph; `views` maps a boundary id (or `_top`) to the link of its view."""
    graph = pydot.Dot("tmdiag", graph_type="digraph")
    graph.set_node_defaults(fontname='"Sans-Serif"', fontsize="12", margin='"0.15,0.06"')
    graph.set_edge_defaults(fontname='"Sans-Serif"', fontsize="12", color='"#7B7D7D"', fontcolor='"#2D3436"')
    direct: dict[str, int] = {}
    for element in model.elements:
        key = element.boundary or TOP
        direct[key] = direct.get(key, 0) + 1
    kids: dict[str | None, list[str]] = {}
    for boundary in model.boundaries:
        kids.setdefault(boundary.parent, []).append(boundary.id)
    anchor: dict[str, str] = {}  # boundary id -> a node inside it (where arrows to its cluster attach)
    clusters: set[str] = set()

    def node(holder: pydot.Graph, key: str, lines: list[str], fill: str, tooltip: str) -> str:
        name = box_id(key)
        target = views.get(key) or (f"{link_prefix}#{boundary_anchor(key)}" if key != TOP else f"{link_prefix}#diagram")
        holder.add_node(pydot.Node(name, label=quoted(*lines), shape="box", style='"rounded,filled"',
                                   fillcolor=quoted(fill), URL=quoted(target), target='"_top"',
                                   tooltip=quoted(tooltip), id=quoted(f"{id_prefix}{name}")))  # fmt: skip
        return name

    def count(n: int) -> str:
        return f"{n} element{'s' if n != 1 else ''}"

    def place(boundary_id: str, holder: pydot.Graph) -> str:
        boundary = model.boundary(boundary_id)
        assert boundary is not None
        trust = str(boundary.get("trust"))
        fill = TRUST_FILL.get(trust, "#FFFFFF")
        n = direct.get(boundary_id, 0)
        children = kids.get(boundary_id, [])
        if not children:
            where = f"{boundary.title}: {count(n)}; open its view"
            anchor[boundary_id] = node(holder, boundary_id, [boundary.title, f"trust: {trust}", count(n)], fill, where)
            return anchor[boundary_id]
        cluster = pydot.Subgraph(f"cluster_tb_{boundary_id}", label=quoted(boundary.title, f"trust: {trust}"),
                                 style='"dashed,rounded,filled"', fillcolor=quoted(fill), pencolor='"#5D6D7E"',
                                 URL=quoted(f"{link_prefix}#{boundary_anchor(boundary_id)}"), target='"_top"',
                                 tooltip=quoted(f"Trust boundary: {boundary.title}", f"trust: {trust}"),
                                 id=quoted(f"{id_prefix}tb-{boundary_id}"))  # fmt: skip
        holder.add_subgraph(cluster)
        clusters.add(boundary_id)
        first = None
        if n:
            first = node(cluster, boundary_id, [f"{count(n)} directly here"], "#FFFFFF",
                         f"{count(n)} directly in {boundary.title}; open the view")  # fmt: skip
        for child in children:
            inner = place(child, cluster)
            first = first or inner
        anchor[boundary_id] = first or ""
        return anchor[boundary_id]

    if direct.get(TOP):
        anchor[TOP] = node(graph, TOP, [count(direct[TOP]), "outside every boundary"], "#FFFFFF",
                           "elements outside every boundary")  # fmt: skip
    for top in kids.get(None, []):
        place(top, graph)
    for (first, second), link in aggregate(model).items():
        left, right = (first, link.deep[0]), (second, link.deep[1])
        forward, backward = link.forward, link.backward
        if backward and not forward:
            left, right, forward, backward = right, left, backward, forward
        ends = []
        for key, deep in (left, right):
            ends.append(anchor.get(key, "") if deep else box_id(key) if key in direct else anchor.get(key, ""))
        if not all(ends):
            continue
        back = f", {backward} back" if backward else ""
        attrs = {"label": quoted(flows(forward + backward)),
                 "tooltip": quoted(f"{flows(forward)} from {left[0]} to {right[0]}{back}"),
                 "id": quoted(f"{id_prefix}link-{left[0]}-{right[0]}")}  # fmt: skip
        if backward:
            attrs["dir"] = "both"
        for (key, deep), end in zip((left, right), ("ltail", "lhead"), strict=True):
            if deep or (key not in direct and key in clusters):
                attrs[end] = f"cluster_tb_{key}"
        edge = pydot.Edge(ends[0], ends[1])
        for key, value in attrs.items():
            edge.set(key, value)
        graph.add_edge(edge)
    return graph
