"""Layout choices per picture, made before Graphviz runs, so the picture fits a screen.

The targets (docs/diagrams.md, measured by `make bench`): text at least 8 px when the SVG is fitted
to a 1600 × 1000 viewport, an aspect ratio within 1:3 … 3:1, and no overlapping labels.

- Direction: `dot` puts ranks (steps along the flows) on one axis and the elements of a rank on
  the other. Both directions are estimated from the flows' rank structure and the label sizes, and
  the one whose picture would fit the viewport at the larger scale wins.
- Labels: `n. label [protocol:port]`; pictures with many edges drop the `[protocol:port]` part
  (it stays in the tooltip), and an edge carrying more than three flows lists their numbers.
- Size: the bigger the picture, the tighter the spacing between ranks and nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from tmdiag.diagram.labels import MAX_LINES, edge_lines
from tmdiag.diagram.scene import Scene

VIEWPORT = (1600.0, 1000.0)  # points: Graphviz writes points, a browser fits the viewBox in pixels
FONT = 12.0  # points: the smallest text of a picture (flow labels, stubs)
MIN_TEXT = 8.0  # pixels at fit: the target
MAX_ASPECT = 3.0  # width to height (and height to width): the target
NODE = (110.0, 44.0)  # a DFD box with a name and a «kind» line
STUB = (80.0, 26.0)
CHAR = 6.6  # points per character of a 12 pt label
LINE = 15.0  # points per label line
WIRE_UP_TO = 24  # edges; above this labels leave out `[protocol:port]`
NUMBERS_ABOVE = 40  # edges; above this flow labels are numbers only


@dataclass(frozen=True)
class Layout:
    rankdir: str  # "LR" or "TB"
    wire: bool  # flow labels show `[protocol:port]`
    nodesep: float  # inches
    ranksep: float
    numbers: bool = False  # flow labels are the flows' numbers only (the tooltip has the rest)
    text: float = 0.0  # estimated smallest text at fit, in pixels, in this direction
    other: float = 0.0  # the same, laid out the other way

    @property
    def uncertain(self) -> bool:
        """The other direction might well come out more legible: worth laying out too."""
        return self.other >= 0.85 * self.text


def _order(scene: Scene) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
    """A topological order of the elements along the edges (back edges of cycles ignored) and the
    outgoing edges of each: (sink, edge number)."""
    ids = [e.id for e in scene.elements]
    outgoing: dict[str, list[tuple[str, int]]] = {i: [] for i in ids}
    for edge in scene.edges:
        if edge.source in outgoing and edge.sink in outgoing and edge.source != edge.sink:
            outgoing[edge.source].append((edge.sink, edge.number))
    state: set[str] = set()
    order: list[str] = []
    for start in ids:  # iterative DFS, post-order
        if start in state:
            continue
        stack = [(start, iter(outgoing[start]))]
        state.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node)
            elif child[0] not in state:
                state.add(child[0])
                stack.append((child[0], iter(outgoing[child[0]])))
    return order[::-1], outgoing


def ranks(scene: Scene) -> dict[str, int]:
    """Longest-path ranks along the edges (back edges of cycles ignored), roughly as dot sets them."""
    order, outgoing = _order(scene)
    position = {node: i for i, node in enumerate(order)}
    rank = dict.fromkeys(order, 0)
    for node in order:
        for child, _ in outgoing[node]:
            if position[child] > position[node]:
                rank[child] = max(rank[child], rank[node] + 1)
    return rank


def _size(scene: Scene, rank: dict[str, int], rankdir: str, wire: bool, nodesep: float,
          ranksep: float) -> tuple[float, float]:  # fmt: skip
    ranks = max(rank.values(), default=0) + 1
    per_rank: dict[int, int] = {}
    for r in rank.values():
        per_rank[r] = per_rank.get(r, 0) + 1
    breadth = max(per_rank.values(), default=1)
    labels = [edge_lines(e.flows, wire) for e in scene.edges]
    label_w = sum(max(len(line) for line in lines) * CHAR for lines in labels) / max(1, len(labels))
    label_h = sum(len(lines) * LINE for lines in labels) / max(1, len(labels))
    gaps_per_rank = len(labels) / max(1, ranks - 1) if ranks > 1 else 0.0  # labels side by side in a gap
    stubs = len(scene.stubs)
    node_w = (NODE[0] * (len(rank) - stubs) + STUB[0] * stubs) / max(1, len(rank))
    node_h = (NODE[1] * (len(rank) - stubs) + STUB[1] * stubs) / max(1, len(rank))
    sep_n, sep_r = nodesep * 72, ranksep * 72
    depth = max(0, len({b.parent for b in scene.boundaries}) - 1)
    pad = 2 * 16.0 * (depth + 1)  # cluster margins and labels around the nesting
    if rankdir == "LR":
        width = ranks * node_w + (ranks - 1) * (sep_r + label_w)
        height = max(breadth * (node_h + sep_n), gaps_per_rank * (label_h + sep_n))
    else:
        width = max(breadth * (node_w + sep_n), gaps_per_rank * (label_w + sep_n))
        height = ranks * node_h + (ranks - 1) * (sep_r + label_h)
    return width + pad, height + pad


def fit(width: float, height: float) -> float:
    """The scale at which a picture of this size fits the viewport (never enlarged)."""
    return min(1.0, VIEWPORT[0] / max(width, 1.0), VIEWPORT[1] / max(height, 1.0))


def choose(scene: Scene, forced: str | None = None, avoid: str | None = None) -> Layout:
    """Direction, labels, spacing and folding for one picture: `forced` is a direction asked for;
    `avoid` one that was tried and came out less legible than expected."""
    wire = len(scene.edges) <= WIRE_UP_TO and all(len(e.flows) <= MAX_LINES for e in scene.edges)
    small = len(scene.elements) <= 12
    nodesep, ranksep = (0.35, 0.6) if small else (0.25, 0.4)
    numbers = len(scene.edges) > NUMBERS_ABOVE
    if forced in ("LR", "TB"):
        return Layout(forced, wire, nodesep, ranksep, numbers)
    rank = ranks(scene)
    scores = {d: fit(*_size(scene, rank, d, wire, nodesep, ranksep)) * FONT for d in ("LR", "TB") if d != avoid}
    best = max(scores, key=lambda d: (scores[d], d == "LR"))
    other = max((v for d, v in scores.items() if d != best), default=0.0)
    return Layout(best, wire, nodesep, ranksep, numbers, scores[best], other)
