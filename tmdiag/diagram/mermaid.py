"""A scene as a Mermaid flowchart: GitHub, GitLab, wikis and MkDocs render it with no image file.

Boundaries are nested `subgraph`s (dashed, filled by trust), elements shapes by kind, flows numbered
edges (a merged reply is one two-headed edge), open high/critical findings the classes `critical`
and `high`, and every element a `click … href` to its report anchor. Only classic shapes are used,
so older Mermaid versions (GitHub's) draw it too.

Labels are user text: every character Mermaid could read as syntax or markup is written as an
entity code (`#quot;`, `#lt;`, `#35;`), so a label shows exactly as written and cannot end a
string, a node or the diagram. Node ids are derived from model ids injectively (`a-b` and `a_b`
stay apart) and never collide with Mermaid keywords (`end`, `graph`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from tmdiag.diagram.labels import RISK_COLOURS, TRUST_FILL, edge_lines, element_lines
from tmdiag.diagram.scene import Scene, edge_risk
from tmdiag.model.anchors import element_anchor
from tmdiag.model.nodes import Boundary, Element, Model
from tmdiag.model.text import for_output

if TYPE_CHECKING:
    from tmdiag.diagram.overview import Link

# opening and closing brackets of each kind's shape
SHAPES: dict[str, tuple[str, str]] = {
    "actor": ("[", "]"),  # rectangle: external entity
    "external": ("[[", "]]"),  # double-edged rectangle
    "process": ("([", "])"),  # stadium: the DFD's round process
    "server": ("[/", "\\]"),  # trapezoid
    "lambda": ("(", ")"),  # rounded rectangle, as in the DOT picture
    "datastore": ("[(", ")]"),  # cylinder
    "llm": ("{{", "}}"),  # hexagon
    "agent": (">", "]"),  # flag
}
STUB_SHAPE = ("[", "]")
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%")
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?'+=/@$%^~()[]-«»→←")


def text(value: str) -> str:
    """One label line as Mermaid text: made safe for output first (tmdiag.model.text: XML-legal,
    bidi controls dropped, right-to-left text isolated), then anything but letters, digits and plain
    punctuation as `#<code>;`."""
    return "".join(ch if ch in _SAFE or ord(ch) > 127 else f"#{ord(ch)};" for ch in for_output(str(value)))


def url(value: str) -> str:
    """A link target: characters outside a URL's plain set are percent-encoded (no quote can end it)."""
    return "".join(ch if ch in _URL_SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in value)


def heading(title: str) -> str:
    """The title as a comment: Mermaid's own `title:` shows `&` as `&amp;`, and the page around a
    diagram has a heading anyway."""
    return f"%% {text(title)}"


def label(*lines: str) -> str:
    return '"' + "<br/>".join(text(line) for line in lines if line != "") + '"'


def ident(prefix: str, model_id: str) -> str:
    """A Mermaid id for a model id: `_` doubled, `-` as `_h`, `.` as `_d`: distinct ids stay distinct."""
    return prefix + model_id.replace("_", "__").replace("-", "_h").replace(".", "_d")


def node_id(element_id: str) -> str:
    return ident("el_", element_id)


def box_id(boundary_id: str) -> str:
    return ident("tb_", boundary_id)


def flowchart(
    model: Model,
    scene: Scene,
    *,
    direction: str | None = None,
    title: str | None = None,
    link: Callable[[str], str] | None = None,
) -> str:
    """The scene as Mermaid flowchart text. `link(anchor)` gives each element's href (default `#anchor`)."""
    direction = direction or scene.direction or "LR"
    href = link or (lambda anchor: f"#{anchor}")
    out = [heading(title or scene.title or model.name), f"flowchart {direction}"]
    shown = {b.id for b in scene.boundaries}
    kids: dict[str | None, list[str]] = {}
    for boundary in scene.boundaries:  # inside the nearest ancestor drawn (views skip some levels)
        parent = next((b.id for b in model.boundary_chain(boundary.parent) if b.id in shown), None)
        kids.setdefault(parent, []).append(boundary.id)
    by_id = {e.id: e for e in scene.elements}
    members: dict[str | None, list[str]] = {}
    for element in scene.elements:
        members.setdefault(element.boundary if element.boundary in shown else None, []).append(element.id)
    drawn: set[str] = set()

    def place(boundary_id: str | None, depth: int) -> None:
        pad = "  " * depth
        for element_id in members.get(boundary_id, []):
            element = by_id[element_id]
            opening, closing = STUB_SHAPE if element_id in scene.stubs else SHAPES.get(element.kind, ("[", "]"))
            lines = (element.title,) if element_id in scene.stubs else element_lines(element)
            out.append(f"{pad}{node_id(element_id)}{opening}{label(*lines)}{closing}")
            drawn.add(element_id)
        if boundary_id is not None and not members.get(boundary_id) and not kids.get(boundary_id):
            out.append(f'{pad}{ident("empty_", boundary_id)}["(no elements)"]')
        for child in kids.get(boundary_id, []):
            boundary = model.boundary(child)
            assert boundary is not None
            out.append(f"{pad}subgraph {box_id(child)}[{label(*_box_lines(boundary))}]")
            place(child, depth + 1)
            out.append(f"{pad}end")

    place(None, 1)
    styles: list[str] = []
    for number, edge in enumerate(e for e in scene.edges if e.source in drawn and e.sink in drawn):
        arrow = "<-->" if edge.both_ways else "-->"
        lines = edge_lines(edge.flows, scene.wire, scene.numbers, scene.data)
        out.append(f"  {node_id(edge.source)} {arrow}|{label(*lines)}| {node_id(edge.sink)}")
        colour = RISK_COLOURS.get(str(edge_risk(scene, edge)))
        if colour:
            styles.append(f"  linkStyle {number} stroke:{colour},stroke-width:2.5px,color:{colour}")
    for boundary in scene.boundaries:
        fill = TRUST_FILL.get(str(boundary.get("trust")), "#FFFFFF")
        width = "2.5px" if boundary.id == scene.focus else "1.5px"
        styles.append(
            f"  style {box_id(boundary.id)} fill:{fill},stroke:#5D6D7E,stroke-width:{width},stroke-dasharray:5 4"
        )
    out.extend(styles)
    out.append("  classDef stub stroke-dasharray:3 3,color:#5D6D7E")
    for level, colour in RISK_COLOURS.items():
        out.append(f"  classDef {level} stroke:{colour},stroke-width:3px,color:{colour}")
    for element_id in sorted(drawn, key=_order(scene)):
        risk = scene.risk.get(element_id)
        classes = [
            c for c in ("stub" if element_id in scene.stubs else None, risk if risk in RISK_COLOURS else None) if c
        ]
        if classes:
            out.append(f"  class {node_id(element_id)} {','.join(classes)}")
        target = scene.links.get(element_id) or href(element_anchor(element_id))
        tip = _tooltip(model, scene, by_id[element_id])
        out.append(f'  click {node_id(element_id)} href "{url(target)}" {label(tip)}')
    return "\n".join(out) + "\n"


def _box_lines(boundary: Boundary) -> tuple[str]:
    """One line: Mermaid sizes a subgraph's title for one line, so a second overlaps what is inside."""
    return (f"{boundary.title} (trust: {boundary.get('trust')})",)


def _order(scene: Scene) -> Callable[[str], int]:
    position = {e.id: i for i, e in enumerate(scene.elements)}
    return lambda element_id: position.get(element_id, len(position))


def _tooltip(model: Model, scene: Scene, element: Element) -> str:
    if element.id in scene.groups:
        return element.title
    trust = model.trust_of(element.id) or "none"
    risk = scene.risk.get(element.id)
    return f"{element_lines(element)[1]} trust: {trust}" + (f", top open risk: {risk}" if risk else "")


def overview(model: Model, counts: Mapping[str | None, int], links: Mapping[tuple[str, str], Link],
             views: Mapping[str, str], *, direction: str = "LR") -> str:  # fmt: skip
    """A big model's overview: one node per boundary (elements directly inside it) and one edge per
    pair of boundaries, aggregated as in the SVG overview (`overview.aggregate`): an end whose flows
    come from nested boundaries meets the subgraph. `views` maps a boundary id to the link of its
    view; links to `.mmd` files (Mermaid source, which nothing displays) are left out."""
    out = [heading(f"{model.name}: overview"), f"flowchart {direction}"]
    kids: dict[str | None, list[str]] = {}
    for boundary in model.boundaries:
        kids.setdefault(boundary.parent, []).append(boundary.id)

    def summary(boundary_id: str | None) -> str:
        return ident("sum_", boundary_id or "_top")

    def place(boundary_id: str | None, depth: int) -> None:
        pad = "  " * depth
        count = counts.get(boundary_id, 0)
        if boundary_id is not None or count:
            out.append(f"{pad}{summary(boundary_id)}[{label(f'{count} element' + ('s' if count != 1 else ''))}]")
        for child in kids.get(boundary_id, []):
            boundary = model.boundary(child)
            assert boundary is not None
            out.append(f"{pad}subgraph {box_id(child)}[{label(*_box_lines(boundary))}]")
            place(child, depth + 1)
            out.append(f"{pad}end")

    place(None, 1)
    for (first, second), link in links.items():
        ends = [box_id(key) if deep else summary(key) for key, deep in zip((first, second), link.deep, strict=True)]
        if link.backward and not link.forward:
            ends.reverse()
        total = link.forward + link.backward
        arrow = "<-->" if link.forward and link.backward else "-->"
        out.append(f"  {ends[0]} {arrow}|{label(f'{total} flow' + ('s' if total != 1 else ''))}| {ends[1]}")
    for boundary in model.boundaries:
        fill = TRUST_FILL.get(str(boundary.get("trust")), "#FFFFFF")
        out.append(f"  style {box_id(boundary.id)} fill:{fill},stroke:#5D6D7E,stroke-dasharray:5 4")
    for boundary_id, target in views.items():
        if not target.endswith(".mmd"):
            out.append(f'  click {summary(boundary_id)} href "{url(target)}" "view of {text(boundary_id)}"')
    return "\n".join(out) + "\n"
