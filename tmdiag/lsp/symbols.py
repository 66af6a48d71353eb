"""The document outline: model header, team, data, threat agents, boundaries nesting boundaries and
elements, flows, controls, risk decisions, assumptions, rules and views."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from tmdiag.diagnostics import Span
from tmdiag.model import nodes as n

_S = types.SymbolKind
ELEMENT_SYMBOLS = {
    "actor": _S.Object, "process": _S.Function, "server": _S.Class, "lambda": _S.Function,
    "datastore": _S.Struct, "external": _S.Interface, "llm": _S.Module, "agent": _S.Object,
}  # fmt: skip

Ranger = Callable[[Span], types.Range]


def outline(model: n.Model, path: str, to_range: Ranger) -> list[types.DocumentSymbol]:
    def mine(node: n.Node) -> bool:
        return node.span.path == path

    def symbol(node: n.Node, name: str, kind: types.SymbolKind, detail: str | None = None,
               children: list[types.DocumentSymbol] | None = None) -> types.DocumentSymbol:  # fmt: skip
        selection = node.id_span if _inside(node.id_span, node.span) else node.span
        return types.DocumentSymbol(
            name=name or node.kind, kind=kind, range=to_range(node.span), selection_range=to_range(selection),
            detail=detail, children=children,
        )  # fmt: skip

    result: list[types.DocumentSymbol] = []
    if model.info is not None and mine(model.info):
        result.append(symbol(model.info, model.info.label or "model", _S.File, "model"))
    team = [symbol(m, m.id, _S.Constant, ", ".join(m.roles)) for m in model.team if mine(m)]
    result += team
    result += [symbol(d, d.id, _S.Variable, d.label) for d in model.data if mine(d)]
    result += [symbol(a, a.id, _S.Event, a.label) for a in model.agents if mine(a)]

    elements: dict[str | None, list[types.DocumentSymbol]] = {}
    for element in model.elements:
        if mine(element):
            item = symbol(element, element.id, ELEMENT_SYMBOLS.get(element.kind, _S.Object),
                          f"{element.kind} {element.label or ''}".strip())  # fmt: skip
            elements.setdefault(element.boundary, []).append(item)
    children: dict[str | None, list[n.Boundary]] = {}
    for boundary in model.boundaries:
        if mine(boundary):
            children.setdefault(boundary.parent, []).append(boundary)

    def nest(boundary: n.Boundary) -> types.DocumentSymbol:
        inner = [nest(b) for b in children.get(boundary.id, [])]
        return symbol(boundary, boundary.id, _S.Namespace, f"boundary {boundary.label or ''}".strip(),
                      inner + elements.get(boundary.id, []))  # fmt: skip

    result += [nest(b) for b in children.get(None, [])]
    result += elements.get(None, [])
    for flow in model.flows:
        if mine(flow):
            name = f"{flow.source} → {flow.sink}" + (f" ({flow.id})" if flow.named else "")
            result.append(symbol(flow, name, _S.Operator, flow.label))
    result += [symbol(c, c.id, _S.Key, c.label) for c in model.controls if mine(c)]
    result += [symbol(r, f"risk {r.id} on {r.target}", _S.Field, str(r.get("status"))) for r in model.risks if mine(r)]
    result += [symbol(a, a.id, _S.String, a.label) for a in model.assumptions if mine(a)]
    result += [symbol(r, r.id, _S.Function, r.label) for r in model.rules if mine(r)]
    result += [symbol(v, f"view {v.id}", _S.Interface, v.label) for v in model.views if mine(v)]
    result.sort(key=lambda s: (s.range.start.line, s.range.start.character))
    return result


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (inner.end_line, inner.end_column) <= (
        outer.end_line,
        outer.end_column,
    )
