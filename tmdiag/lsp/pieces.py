"""Pieces: what one chunk of an open document (or all its imported files together) adds to the model.

A piece keeps the chunk's built parts, every span in them, and the names they refer to, so the
document can move a chunk's spans when lines are inserted above it (`move_spans`) and re-check only
pieces whose references changed meaning. Shared by `tmdiag.lsp.document` (one piece per chunk) and
`tmdiag.lsp.imports` (one piece for the imported files).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.model.build import FileParts, build
from tmdiag.syntax.incremental import Chunk

# Flows are numbered across pieces and assumptions renamed (A1, A2, …) by the document: not grouped here.
GROUPS = tuple(g for g in n.GROUPS if g not in ("flows", "assumptions"))


@dataclass(eq=False)
class Piece:
    """What one chunk (or all imported files together) adds to the model, with cached checks."""

    parts: FileParts
    spans: list[Span]  # every span reachable from `parts`; moved with the chunk
    refs: frozenset[str]  # names the parts refer to
    flows: tuple[n.Flow, ...] = ()  # numbered
    first_flow: int = 0
    assumptions: tuple[n.Assumption, ...] = ()
    first_assumption: int = 0
    checks: list[Diagnostic] | None = None  # validation of the parts; None: to do
    check_spans: list[Span] = field(default_factory=list)  # spans made by the checks (moved too)
    checked_info: bool = False
    name_dependent: bool = False  # its checks depend on other statements (see document.NAME_CODES)
    occurrences: list[object] | None = None  # ids written here (tmdiag.lsp.navigation)
    groups: tuple[tuple[str, list[n.Node]], ...] = ()  # the non-empty GROUPS of `parts`

    unparsed_names: frozenset[str] = frozenset()  # written in a broken statement (`Model.unparsed_names`)
    numbered: bool = False  # has flows, assumptions or a model header (numbered or counted on assembly)
    extras: bool = False  # has imports or diagnostics

    def __post_init__(self) -> None:
        parts = self.parts
        self.groups = tuple((g, items) for g in GROUPS if (items := getattr(parts, g)))
        self.numbered = bool(parts.flows or parts.assumptions or parts.info)
        self.extras = bool(parts.imports or parts.diagnostics)


def make_piece(path: str, chunk: Chunk) -> Piece:
    """The chunk's parts: as the fast reader read them (placed where the chunk stands), else built from its trees."""
    parts = chunk.take_read()
    if isinstance(parts, FileParts):
        spans = collect_spans(parts)
        place_spans(spans, chunk.line, chunk.column)
    else:
        parts = build(path, chunk.statements())
        spans = collect_spans(parts)
    return Piece(parts, spans, references(parts), unparsed_names=chunk.unparsed_names)


def references(parts: FileParts) -> frozenset[str]:
    """Every name the parts refer to (flow ends, risk targets, reference attributes)."""
    names: set[str] = set()
    for node in parts.nodes():
        specs = schema.BY_NAME.get(node.schema_kind, {})
        for attr in node.attributes:
            spec = specs.get(attr.key)
            if spec is not None and spec.ref and spec.ref != "kind":
                values = attr.value if isinstance(attr.value, tuple) else (attr.value,)
                names.update(str(v) for v in values if isinstance(v, str))
        if isinstance(node, n.Flow):
            names.update((node.source, node.sink))
        elif isinstance(node, n.RiskDecision):
            names.add(node.target)
    return frozenset(names)


# ---- spans --------------------------------------------------------------------------------
_LEAVES = (str, int, float, type(None), datetime.date)
_FIELDS: dict[type, tuple[str, ...]] = {}


def collect_spans(root: object) -> list[Span]:
    """Every distinct Span object reachable from `root` through dataclass fields, lists and tuples."""
    seen: dict[int, Span] = {}
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, Span):
            seen.setdefault(id(item), item)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif not isinstance(item, _LEAVES):
            names = _FIELDS.get(type(item))
            if names is None:
                fields = dataclasses.fields(item) if dataclasses.is_dataclass(item) else ()  # type: ignore[arg-type]
                names = _FIELDS[type(item)] = tuple(f.name for f in fields)
            stack.extend(getattr(item, name) for name in names)
    return list(seen.values())


_SET_LINE = vars(Span)["line"].__set__  # the slots' own setters: twice as fast as object.__setattr__
_SET_END_LINE = vars(Span)["end_line"].__set__
_SET_COLUMN = vars(Span)["column"].__set__
_SET_END_COLUMN = vars(Span)["end_column"].__set__


def move_spans(spans: list[Span], lines: int) -> None:
    """Move spans by whole lines, in place (see the module docstring)."""
    for span in spans:
        _SET_LINE(span, span.line + lines)
        _SET_END_LINE(span, span.end_line + lines)


def place_spans(spans: list[Span], line: int, column: int) -> None:
    """Move spans read at line 1, column 1 to a chunk that starts at (`line`, `column`), in place."""
    if column != 1:
        for span in spans:
            if span.line == 1:
                _SET_COLUMN(span, span.column + column - 1)
            if span.end_line == 1:
                _SET_END_COLUMN(span, span.end_column + column - 1)
    if line != 1:
        move_spans(spans, line - 1)
