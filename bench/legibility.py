"""How legible a diagram is, measured on the SVG Graphviz wrote (its own geometry, no browser).

- aspect: width / height of the picture (the targets: between 1/3 and 3);
- text at fit: the smallest text, in CSS pixels, when the picture is scaled to fit a 1600 × 1000
  viewport (scaled down only; the target: at least 8 px);
- overlaps: pairs of text lines whose boxes intersect (width estimated from the character count,
  height from the font size; the target: none).

    m = measure(svg_bytes)
    m.aspect, m.text_px, m.overlaps, m.ok
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

VIEWPORT = (1600.0, 1000.0)
MIN_TEXT_PX = 8.0
MAX_ASPECT = 3.0
CHAR_WIDTH = 0.55  # of the font size: about the average width of sans-serif text (DejaVu Sans)
SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?")
_SCALE = re.compile(r"scale\(([\d.]+)")


@dataclass(frozen=True)
class Legibility:
    width: float  # of the viewBox, in points
    height: float
    text_px: float  # smallest text at fit, in CSS pixels
    overlaps: int
    labels: int  # text lines measured

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 0.0

    @property
    def ok(self) -> bool:
        return self.text_px >= MIN_TEXT_PX and 1 / MAX_ASPECT <= self.aspect <= MAX_ASPECT and self.overlaps == 0

    def ratio(self) -> str:
        """The aspect as `w:h` with the smaller side 1 (`1:4.2`, `2.1:1`)."""
        a = self.aspect
        return f"{a:.1f}:1" if a >= 1 else f"1:{1 / a:.1f}" if a else "-"


def _box(text: ET.Element) -> tuple[float, float, float, float, float] | None:
    content = "".join(text.itertext())
    if not content.strip():
        return None
    size = float(text.get("font-size", "14"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    width = CHAR_WIDTH * size * len(content)
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - 0.75 * size, left + width, y + 0.2 * size, size


def _overlaps(boxes: list[tuple[float, float, float, float, float]], cell: float = 120.0) -> int:
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x0, y0, x1, y1, _) in enumerate(boxes):
        for gx in range(int(x0 // cell), int(x1 // cell) + 1):
            for gy in range(int(y0 // cell), int(y1 // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    pairs: set[tuple[int, int]] = set()
    slack = 1.0  # points: glyph boxes touching is not an overlap
    for members in grid.values():
        for a_index, i in enumerate(members):
            ax0, ay0, ax1, ay1, _ = boxes[i]
            for j in members[a_index + 1 :]:
                bx0, by0, bx1, by1, _ = boxes[j]
                if min(ax1, bx1) - max(ax0, bx0) > slack and min(ay1, by1) - max(ay0, by0) > slack:
                    pairs.add((i, j) if i < j else (j, i))
    return len(pairs)


def measure(svg: bytes | str) -> Legibility:
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    view = [float(v) for v in _NUMBER.findall(root.get("viewBox", ""))]
    width, height = (view[2], view[3]) if len(view) == 4 else (0.0, 0.0)
    boxes = [b for b in (_box(t) for t in root.iter(f"{SVG}text")) if b is not None]
    scale = min(1.0, VIEWPORT[0] / width, VIEWPORT[1] / height) if width and height else 1.0
    graph = root.find(f"{SVG}g")  # Graphviz scales its drawing here when `size` shrinks it
    shrink = _SCALE.search(graph.get("transform", "")) if graph is not None else None
    smallest = min((b[4] for b in boxes), default=0.0) * (float(shrink.group(1)) if shrink else 1.0)
    # Graphviz writes points; a browser shows an SVG's viewBox units as CSS pixels when it fits the
    # picture into the viewport, so the scale applies to the points directly.
    return Legibility(width, height, smallest * scale, _overlaps(boxes), len(boxes))


def worst(measures: list[Legibility]) -> tuple[Legibility, int]:
    """The least legible picture of a set (smallest text, then most overlaps) and how many miss a target."""
    ordered = sorted(measures, key=lambda m: (m.ok, m.text_px, -m.overlaps))
    return ordered[0], sum(not m.ok for m in measures)
