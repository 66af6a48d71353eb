"""Context pictures: one element and its neighbours (one flow away), boundaries drawn, as small SVG.

The report puts one in every element's section, so a reader who jumps to an element of a big model
sees it in its context. Laid out here, without Graphviz (a report of 3,000 elements draws 3,000 of
them in well under a second): what sends flows to the element on the left, what it sends to on the
right (both ways: right, with a two-headed arrow), each neighbour in a box inside a dashed frame of
its innermost boundary, the element in the middle inside the frames of its boundaries. Every box
links to its element's section, every flow number to the flow's row. All text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field

from tmdiag.diagram.labels import RISK_COLOURS, TRUST_FILL, element_lines
from tmdiag.model.anchors import element_anchor, flow_anchor
from tmdiag.model.nodes import Element, Flow, Model
from tmdiag.model.text import for_output

BOX_W, BOX_H, GAP = 190.0, 30.0, 8.0
FRAME_PAD, FRAME_LABEL = 8.0, 16.0
COLUMN = 300.0  # distance between the left edges of the columns
MAX_PER_SIDE = 12  # more neighbours on one side are summed up in a last box
CHARS = 28  # a box's name is cut to this many characters (the tooltip has it all)


@dataclass
class _Side:
    # innermost boundary id (or None) -> [(neighbour, flows between it and the element)]
    groups: dict[str | None, list[tuple[Element, list[Flow]]]] = field(default_factory=dict)
    hidden: int = 0


def index(model: Model) -> dict[str, list[Flow]]:
    """Flows by element id (both ends), built once for all pictures."""
    flows: dict[str, list[Flow]] = {}
    for flow in model.flows:
        flows.setdefault(flow.source, []).append(flow)
        if flow.sink != flow.source:
            flows.setdefault(flow.sink, []).append(flow)
    return flows


def _cut(text: str) -> str:
    return text if len(text) <= CHARS else text[: CHARS - 1] + "…"


def _sides(model: Model, element: Element, flows: list[Flow]) -> tuple[_Side, _Side]:
    by_neighbour: dict[str, list[Flow]] = {}
    for flow in flows:
        other = flow.sink if flow.source == element.id else flow.source
        if other != element.id:
            by_neighbour.setdefault(other, []).append(flow)
    left, right = _Side(), _Side()
    for neighbour_id, between in by_neighbour.items():
        neighbour = model.element(neighbour_id)
        if neighbour is None:
            continue
        sends_only = all(f.sink == element.id for f in between)
        side = left if sends_only else right
        if sum(len(g) for g in side.groups.values()) >= MAX_PER_SIDE:
            side.hidden += 1
            continue
        side.groups.setdefault(neighbour.boundary, []).append((neighbour, between))
    return left, right


def picture(model: Model, element_id: str, flows_by_element: Mapping[str, list[Flow]],
            risk: Mapping[str, str] | None = None, link_prefix: str = "") -> str:  # fmt: skip
    """The context picture of one element, as an SVG document (no XML declaration)."""
    element = model.element(element_id)
    if element is None:
        return ""
    left, right = _sides(model, element, flows_by_element.get(element_id, []))
    ids = html.escape(f"ctx-{element_id}-")  # one page holds many pictures: their ids stay apart
    out: list[str] = []
    spots: dict[str, tuple[float, float]] = {}  # neighbour id -> (x of its box, y of its middle)
    chain = model.boundary_chain(element.boundary)[:3]  # at most three frames around the element
    margin = 10 + len(chain) * FRAME_PAD  # room for the frames around the element
    cx = margin + (COLUMN if left.groups or left.hidden else 0)
    heights = [_column(model, side, x, out, spots, link_prefix) for side, x in ((left, margin), (right, cx + COLUMN))]
    centre_h = BOX_H + 10 + len(chain) * (FRAME_PAD + FRAME_LABEL)
    height = max([*heights, centre_h + 20, 60.0])
    cy = height / 2 - BOX_H / 2 + len(chain) * FRAME_LABEL / 2
    frames: list[str] = []
    for depth, boundary in enumerate(chain, 1):  # innermost first, each frame around the last
        pad = depth * FRAME_PAD
        x0, y0 = cx - pad, cy - pad - depth * FRAME_LABEL
        w, h = BOX_W + 2 * pad, BOX_H + 2 * pad + depth * FRAME_LABEL
        trust = str(boundary.get("trust"))
        frames.insert(0, _frame(x0, y0, w, h, boundary.title, trust, link_prefix, boundary.id))
    out[:0] = frames
    level = (risk or {}).get(element_id)
    name, kind = element_lines(element)
    out.append(_box(cx, cy, f"{_cut(name)} {kind}", element, link_prefix, RISK_COLOURS.get(str(level)), bold=True))
    for neighbour_id, (x, y) in spots.items():
        between = next(f for f in flows_by_element.get(element_id, []) if neighbour_id in (f.source, f.sink))
        flows = [f for f in flows_by_element.get(element_id, []) if neighbour_id in (f.source, f.sink)]
        both = any(f.source == element_id for f in flows) and any(f.sink == element_id for f in flows)
        on_left = x < cx
        x1 = x + BOX_W if on_left else x
        x2 = cx if on_left else cx + BOX_W
        start, end = (x1, x2) if on_left else (x2, x1)
        marks = f'marker-end="url(#{ids}arrow)"' + (f' marker-start="url(#{ids}back)"' if both else "")
        y1, y2 = (y, cy + BOX_H / 2) if on_left else (cy + BOX_H / 2, y)
        out.append(f'<line x1="{start:.0f}" y1="{y1:.0f}" x2="{end:.0f}" y2="{y2:.0f}" stroke="#7B8894" '
                   f'stroke-width="1.2" {marks}/>')  # fmt: skip
        numbers = ", ".join(str(f.number) for f in flows)
        anchor = f"{link_prefix}#{flow_anchor(between.number)}"
        tx, ta = (x1 + 4, "start") if on_left else (x1 - 4, "end")
        tip = _escaped("; ".join(f"{f.number}. {f.title}" for f in flows))
        out.append(f'<a href="{html.escape(anchor)}"><title>{tip}</title><text x="{tx:.0f}" y="{y - 4:.0f}" '
                   f'font-size="11" text-anchor="{ta}" fill="#2D3436">{html.escape(numbers)}</text></a>')  # fmt: skip
    width = cx + (COLUMN if right.groups or right.hidden else 0) + BOX_W + margin
    defs = (f'<defs><marker id="{ids}arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto"><path d="M0,0L10,5L0,10z" fill="#7B8894"/></marker><marker id="{ids}back" '
            'viewBox="0 0 10 10" refX="0" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
            '<path d="M10,0L0,5L10,10z" fill="#7B8894"/></marker></defs>')  # fmt: skip
    label = _escaped(f"{element.title} and what it exchanges flows with")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="context" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{label}" '
            f'font-family="sans-serif">{defs}{"".join(out)}</svg>')  # fmt: skip


def _column(model: Model, side: _Side, x: float, out: list[str], spots: dict[str, tuple[float, float]],
            link_prefix: str) -> float:  # fmt: skip
    y = 10.0
    for boundary_id, members in side.groups.items():
        boundary = model.boundary(boundary_id) if boundary_id else None
        top = y
        if boundary is not None:
            y += FRAME_LABEL + FRAME_PAD / 2
        for neighbour, _ in members:
            out.append(_box(x, y, _cut(neighbour.title), neighbour, link_prefix, None))
            spots[neighbour.id] = (x, y + BOX_H / 2)
            y += BOX_H + GAP
        if boundary is not None:
            frame_h = y - top + FRAME_PAD / 2 - GAP
            trust = str(boundary.get("trust"))
            out.insert(0, _frame(x - FRAME_PAD, top, BOX_W + 2 * FRAME_PAD, frame_h, boundary.title, trust,
                                 link_prefix, boundary.id))  # fmt: skip
            y = top + frame_h + GAP
    if side.hidden:
        out.append(f'<text x="{x + 4:.0f}" y="{y + 14:.0f}" font-size="12" fill="#5D6D7E">… and {side.hidden} more '
                   "(see the element's flows)</text>")  # fmt: skip
        y += 24
    return y + 10


def _frame(x: float, y: float, w: float, h: float, title: str, trust: str, link_prefix: str, boundary_id: str) -> str:
    fill = TRUST_FILL.get(trust, "#FFFFFF")
    text = _escaped(_cut(f"{title} · {trust}"))
    return (f'<a href="{html.escape(link_prefix)}#tb-{html.escape(boundary_id)}"><rect x="{x:.0f}" y="{y:.0f}" '
            f'width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" stroke="#5D6D7E" stroke-dasharray="5,3"/>'
            f'<text x="{x + 6:.0f}" y="{y + 12:.0f}" font-size="11" fill="#2D3436">{text}</text></a>')  # fmt: skip


def _box(x: float, y: float, text: str, element: Element, link_prefix: str, colour: str | None,
         bold: bool = False) -> str:  # fmt: skip
    stroke = colour or "#2D3436"
    width = "3" if colour else ("1.6" if bold else "1")
    tip = _escaped(" ".join(element_lines(element)))
    anchor = html.escape(f"{link_prefix}#{element_anchor(element.id)}")
    weight = ' font-weight="bold"' if bold else ""
    return (f'<a href="{anchor}"><title>{tip}</title><rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W:.0f}" '
            f'height="{BOX_H:.0f}" rx="4" fill="#FFFFFF" stroke="{stroke}" stroke-width="{width}"/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 4:.0f}" font-size="12" text-anchor="middle" '
            f'fill="{colour or "#2D3436"}"{weight}>{_escaped(text)}</text></a>')  # fmt: skip


def _escaped(text: str) -> str:
    """Model text as SVG text: XML-safe, isolated for direction (tmdiag.model.text), then escaped."""
    return html.escape(for_output(text))
