"""Which declaration a place in the source belongs to: the innermost boundary, element, flow or
data asset whose lines hold it. Diagnostics name a place; the register and the report name its target."""

from __future__ import annotations

from collections import defaultdict

from tmdiag.diagnostics import Span
from tmdiag.model import nodes as n

Target = n.Boundary | n.Element | n.Flow | n.DataAsset


class Locator:
    """Built once per model (linear in its lines); `at(span)` is a dictionary lookup."""

    def __init__(self, model: n.Model):
        self.lines: dict[str, dict[int, Target]] = defaultdict(dict)
        # later wins: an element inside a boundary, a flow's own lines
        ordered: list[Target] = [
            *model.data,
            *sorted(model.boundaries, key=lambda b: b.depth),
            *model.elements,
            *model.flows,
        ]
        for node in ordered:
            table = self.lines[node.span.path]
            for line in range(node.span.line, node.span.end_line + 1):
                table[line] = node

    def at(self, span: Span) -> Target | None:
        return self.lines.get(span.path, {}).get(span.line)
