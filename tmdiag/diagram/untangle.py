"""Moving flow labels that Graphviz drew over other text.

`dot` places each edge label beside its edge, but with clusters and many edges two labels (or a
label and a node's name) can land on each other. After layout, each flow label that overlaps text
already placed moves to the nearest free spot around where it was (never out of the picture);
names of elements and boundaries never move. Text boxes are estimated from the character count
and font size, generously, so what is free here is free on screen. Deterministic: labels are
placed in document order and candidate spots tried in a fixed order.
"""

from __future__ import annotations

import functools
import html
import re

CHAR = 0.62  # of the font size: as wide as DejaVu Sans (the usual "Sans-Serif"), so moved labels clear
_TOKEN = re.compile(rb'<g id="([^"]*)"|<text\b([^>]*)>(.*?)</text>', re.S)
_NUM = re.compile(rb'\b(x|y|font-size)="(-?[\d.]+)"')
_ANCHOR = re.compile(rb'text-anchor="(\w+)"')
_VIEWBOX = re.compile(rb'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_TRANSLATE = re.compile(rb"translate\((-?[\d.]+) (-?[\d.]+)\)")
_CELL = 64.0

Box = tuple[float, float, float, float]


class _Grid:
    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = box
        return [(gx, gy) for gx in range(int(x0 // _CELL), int(x1 // _CELL) + 1)
                for gy in range(int(y0 // _CELL), int(y1 // _CELL) + 1)]  # fmt: skip

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        x0, y0, x1, y1 = box
        for key in self._keys(box):
            for a0, b0, a1, b1 in self.cells.get(key, ()):
                if min(x1, a1) - max(x0, a0) > 0.5 and min(y1, b1) - max(y0, b0) > 0.5:
                    return True
        return False


def _box(attrs: bytes, content: bytes) -> tuple[Box, float, float]:
    values = {k: float(v) for k, v in _NUM.findall(attrs)}
    size = values.get(b"font-size", 14.0)
    x, y = values.get(b"x", 0.0), values.get(b"y", 0.0)
    width = CHAR * size * len(html.unescape(content.decode("utf-8", "replace")))
    anchor = _ANCHOR.search(attrs)
    where = anchor.group(1) if anchor else b"start"
    left = x - width / 2 if where == b"middle" else x - width if where == b"end" else x
    return (left, y - 0.95 * size, left + width, y + 0.3 * size), x, y  # a line and a little air


def _offsets(width: float, height: float) -> list[tuple[float, float]]:
    """Candidate moves, nearest first: up and down by half a label, then sideways too."""
    steps = [(dx * width / 3, dy * height / 2) for dy in range(-6, 7) for dx in range(-3, 4) if dx or dy]
    return sorted(steps, key=lambda d: (d[0] ** 2 + (1.5 * d[1]) ** 2, d[1], d[0]))


def untangle(svg: bytes) -> bytes:
    """The SVG with overlapping flow labels moved apart (unchanged when nothing overlaps)."""
    size = _VIEWBOX.search(svg)
    shift = _TRANSLATE.search(svg)
    if size is None:
        return svg
    tx, ty = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)
    area = (-tx, -ty, float(size.group(1)) - tx, float(size.group(2)) - ty)
    fixed = _Grid()
    labels: dict[bytes, list[tuple[re.Match[bytes], Box]]] = {}
    group = b""
    for match in _TOKEN.finditer(svg):
        if match.group(1) is not None:
            group = match.group(1)
            continue
        box, _, _ = _box(match.group(2), match.group(3))
        if group.endswith((b"&#45;label", b"-label")):
            labels.setdefault(group, []).append((match, box))
        else:
            fixed.add(box)
    moves: dict[int, tuple[float, float]] = {}  # start of a text tag -> (dx, dy)
    for lines in labels.values():
        boxes = [box for _, box in lines]
        whole = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        chosen = (0.0, 0.0)
        if any(fixed.hits(b) for b in boxes):
            for dx, dy in _offsets(whole[2] - whole[0], whole[3] - whole[1]):
                moved = [(b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy) for b in boxes]
                inside = whole[0] + dx >= area[0] and whole[2] + dx <= area[2] and whole[1] + dy >= area[1] and \
                    whole[3] + dy <= area[3]  # fmt: skip
                if inside and not any(fixed.hits(b) for b in moved):
                    chosen = (dx, dy)
                    break
        for (match, _), box in zip(lines, boxes, strict=True):
            fixed.add((box[0] + chosen[0], box[1] + chosen[1], box[2] + chosen[0], box[3] + chosen[1]))
            if chosen != (0.0, 0.0):
                moves[match.start()] = chosen
    if not moves:
        return svg
    out, last = [], 0
    for match in _TOKEN.finditer(svg):
        if match.start() not in moves:
            continue
        attrs = _NUM.sub(functools.partial(_shifted, by=moves[match.start()]), match.group(2))
        out.append(svg[last : match.start(2)])
        out.append(attrs)
        last = match.end(2)
    out.append(svg[last:])
    return b"".join(out)


def _shifted(match: re.Match[bytes], by: tuple[float, float]) -> bytes:
    dx, dy = by
    key, value = match.group(1), float(match.group(2))
    if key == b"x":
        value += dx
    elif key == b"y":
        value += dy
    else:
        return match.group(0)
    return key + b'="' + f"{value:.2f}".rstrip("0").rstrip(".").encode("ascii") + b'"'
