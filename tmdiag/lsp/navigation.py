"""Where ids are declared and used: the index behind hover, definition, references and the outline."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from tmdiag.diagnostics import Span
from tmdiag.lsp.document import Document
from tmdiag.lsp.pieces import Piece
from tmdiag.model import nodes as n
from tmdiag.model import schema

DECLARED_GROUPS = (*n.NAMED_GROUPS, "rules")


@dataclass(frozen=True, slots=True)
class Occurrence:
    span: Span
    name: str
    role: str  # "decl" | "ref" | "threat" (a threat id: declared by a custom rule, if at all)
    node: n.Node  # the node the occurrence is written in
    key: str | None = None  # the attribute it is the value of


def occurrences(piece: Piece) -> list[Occurrence]:
    """Every id written in one chunk's parts (cached: spans move in place with the chunk)."""
    if piece.occurrences is not None:
        return piece.occurrences  # type: ignore[return-value]
    found: list[Occurrence] = []
    parts = piece.parts
    for node in parts.nodes():
        found.extend(_of_node(node))
    piece.occurrences = found  # type: ignore[assignment]
    return found


def _of_node(node: n.Node) -> Iterator[Occurrence]:
    if isinstance(node, n.Flow):
        if node.reply_to is not None:  # a reply repeats its request's ends
            return
        if node.named:
            yield Occurrence(node.id_span, node.id, "decl", node)
        assert node.source_span is not None and node.sink_span is not None
        yield Occurrence(node.source_span, node.source, "ref", node)
        yield Occurrence(node.sink_span, node.sink, "ref", node)
    elif isinstance(node, n.RiskDecision):
        yield Occurrence(node.id_span, node.id, "threat", node)
        assert node.target_span is not None
        yield Occurrence(node.target_span, node.target, "ref", node)
    elif not isinstance(node, (n.ModelInfo, n.Assumption)):
        yield Occurrence(node.id_span, node.id, "decl", node)
    specs = schema.BY_NAME.get(node.schema_kind, {})
    for attr in node.attributes:
        spec = specs.get(attr.key)
        if spec is None or not ((spec.ref and spec.ref != "kind") or spec.type == schema.IDS):
            continue
        role = "threat" if spec.type == schema.IDS else "ref"
        values = attr.value if isinstance(attr.value, tuple) else (attr.value,)
        spans = attr.item_spans if isinstance(attr.value, tuple) else (attr.value_span,)
        for value, span in zip(values, spans, strict=False):
            if isinstance(value, str):
                yield Occurrence(span, str(value), role, node, attr.key)


def contains(span: Span, line: int, column: int) -> bool:
    """Is (line, column), 1-based, inside the span (its end included, for a cursor after a word)?"""
    if (line, column) < (span.line, span.column):
        return False
    return (line, column) <= (span.end_line, span.end_column)


def at(document: Document, offset: int) -> Occurrence | None:
    """The id under the cursor."""
    chunk = document.chunk_at(offset)
    piece = document.pieces.get(chunk.uid) if chunk is not None else None
    if piece is None:
        return None
    line, column = _line_column(document, offset)
    for occurrence in occurrences(piece):
        if occurrence.span.path == document.path and contains(occurrence.span, line, column):
            return occurrence
    return None


def attribute_at(document: Document, offset: int) -> tuple[n.Node, n.Attribute] | None:
    """The attribute whose key is under the cursor."""
    chunk = document.chunk_at(offset)
    piece = document.pieces.get(chunk.uid) if chunk is not None else None
    if piece is None:
        return None
    line, column = _line_column(document, offset)
    for node in piece.parts.nodes():
        for attr in node.attributes:
            key = Span(
                attr.span.path, attr.span.line, attr.span.column, attr.span.line, attr.span.column + len(attr.key)
            )
            if contains(key, line, column):
                return node, attr
    return None


def declaration(model: n.Model, name: str, role: str) -> n.Node | None:
    if role == "threat":
        return next((r for r in model.rules if r.id == name), None)
    for group in DECLARED_GROUPS:
        for node in getattr(model, group):
            if node.id == name and not (isinstance(node, n.Flow) and not node.named):
                return node  # type: ignore[no-any-return]
    return None


def references(document: Document, name: str, role: str) -> list[Occurrence]:
    """Every use of `name` in the document (declarations too), in text order."""
    kinds = ("threat",) if role == "threat" else ("decl", "ref")
    found: list[Occurrence] = []
    for chunk in document.parse.chunks:
        piece = document.pieces.get(chunk.uid)
        if piece is None:
            continue
        found.extend(o for o in occurrences(piece) if o.name == name and o.role in kinds)
    if role == "threat":  # a custom rule's declaration
        found.extend(
            o
            for chunk in document.parse.chunks
            if (piece := document.pieces.get(chunk.uid)) is not None
            for o in occurrences(piece)
            if o.role == "decl" and o.name == name and isinstance(o.node, n.CustomRule)
        )
    return sorted(found, key=lambda o: (o.span.line, o.span.column))


def _line_column(document: Document, offset: int) -> tuple[int, int]:
    starts = document.lines.starts
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1
