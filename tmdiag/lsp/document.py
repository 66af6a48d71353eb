"""One open document, analysed incrementally for the language server.

Edits go to the chunked parse (`tmdiag.syntax.incremental`). Each chunk's model parts are built
once and kept as a `tmdiag.lsp.pieces.Piece`. When lines are inserted or removed above a chunk, the
spans inside its parts are moved in place: spans are frozen for every consumer, and this module
(their only producer here) is the only code that moves them, so nothing is rebuilt for a chunk that
did not change. The model is
re-assembled from the kept parts on every analysis (list concatenation, no building), and
validation re-checks only chunks that are new or whose references changed meaning.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.lsp.imports import ImportCache, Imported, Overlays
from tmdiag.lsp.pieces import GROUPS, Piece, make_piece, move_spans
from tmdiag.lsp.positions import LineIndex
from tmdiag.model import nodes as n
from tmdiag.model.build import number_flows
from tmdiag.reader import read
from tmdiag.semantics.validate import Validator
from tmdiag.syntax.incremental import Chunk, IncrementalParse, Read
from tmdiag.syntax.parse import Comment

# Codes whose message or hint depends on other statements: re-checked on every analysis.
NAME_CODES = frozenset({"E101", "E103", "E104", "E401", "E402"})
# RENUMBERED: a statement whose flows or assumptions get new numbers (one was added above it) is checked
# again only if its checks found something: a number or an unnamed flow's id (`flow-12`) can appear in
# a message, but no per-statement check passes or fails on one (duplicate ids are checked model-wide).


@dataclass
class Analysis:
    model: n.Model
    diagnostics: list[Diagnostic]  # syntax, build, loading and validation (lint comes separately)
    syntax_errors: bool
    timings: dict[str, float]


class Document:
    def __init__(self, text: str, path: str, fs_path: Path | None = None, encoding: str = "utf-16"):
        self.path = path  # as shown in spans
        self.fs_path = fs_path
        text = _without_bom(text)
        self.parse = IncrementalParse(text, path, _reader(path))
        self.lines = LineIndex(text, encoding)
        self.pieces: dict[int, Piece] = {}
        self.generation = 0
        self.born = {chunk.uid: 0 for chunk in self.parse.chunks}  # chunk uid → generation that made it
        self.imports = ImportCache()
        self.overlays: Overlays = {}  # open documents, read instead of their files (set by the server)
        self.analysis: Analysis | None = None
        self._names: dict[str, str] = {}
        self._threat_ids: frozenset[str] = frozenset()
        self._info_piece: Piece | None = None

    @property
    def text(self) -> str:
        return self.parse.text

    # ---- edits --------------------------------------------------------------------------
    def edit(self, start: int, end: int, new_text: str) -> None:
        """Replace text[start:end] (offsets in code points) by `new_text`."""
        change = self.parse.edit(start, end, new_text)
        self.lines.edit(start, end, new_text, self.parse.text)
        self.generation += 1
        for chunk in change.removed:
            self.pieces.pop(chunk.uid, None)
            self.born.pop(chunk.uid, None)
        for chunk in change.added:
            self.born[chunk.uid] = self.generation
        if change.line_delta:
            for chunk in self.parse.chunks[change.index + len(change.added) :]:
                piece = self.pieces.get(chunk.uid)
                if piece is not None:
                    move_spans(piece.spans, change.line_delta)
                    move_spans(piece.check_spans, change.line_delta)
        self.analysis = None

    def replace_all(self, text: str) -> None:
        self.edit(0, len(self.parse.text), _without_bom(text))

    # ---- analysis -----------------------------------------------------------------------
    def analyse(self) -> Analysis:
        if self.analysis is not None:
            return self.analysis
        clock = time.perf_counter()
        timings: dict[str, float] = {}
        chunks = self.parse.chunks
        known, pieces = self.pieces, []
        imports: list[tuple[str, Span]] = []
        built: list[Diagnostic] = []
        for chunk in chunks:
            piece = known.get(chunk.uid)
            if piece is None:
                piece = known[chunk.uid] = make_piece(self.path, chunk)
            pieces.append(piece)
            if piece.extras:
                imports.extend(piece.parts.imports)
                built.extend(piece.parts.diagnostics)
        timings["build"], clock = time.perf_counter() - clock, time.perf_counter()
        imported = self.imports.load(self.path, self.fs_path, imports, self.overlays)
        model, loading = self._assemble(pieces, imported)
        timings["assemble"], clock = time.perf_counter() - clock, time.perf_counter()
        checks = self._validate(model, [imported.piece, *pieces])
        timings["validate"] = time.perf_counter() - clock
        syntax = list(self.parse.diagnostics())
        found = syntax + built + loading + imported.diagnostics + checks
        found = sorted(dict.fromkeys(found), key=lambda d: (*d.sort_key, d.message))
        self.analysis = Analysis(model, found, bool(syntax), timings)
        return self.analysis

    def _assemble(self, pieces: list[Piece], imported: Imported) -> tuple[n.Model, list[Diagnostic]]:
        groups: dict[str, list[n.Node]] = {g: list(getattr(imported.parts, g)) for g in GROUPS}
        flows: list[n.Flow] = list(imported.piece.flows)
        assumptions: list[n.Assumption] = list(imported.piece.assumptions)
        infos: list[tuple[n.ModelInfo, Piece]] = []
        unparsed = imported.piece.unparsed_names
        for piece in pieces:
            for group, items in piece.groups:
                groups[group].extend(items)
            if piece.unparsed_names:
                unparsed = unparsed | piece.unparsed_names
            if not piece.numbered:
                continue
            parts = piece.parts
            if parts.flows:
                if piece.first_flow != len(flows) + 1:
                    piece.flows, piece.first_flow = number_flows(parts.flows, len(flows) + 1), len(flows) + 1
                    piece.checks = piece.checks and None  # see RENUMBERED
                flows.extend(piece.flows)
            if parts.assumptions:
                if piece.first_assumption != len(assumptions) + 1:
                    first = len(assumptions) + 1
                    piece.assumptions = tuple(
                        dataclasses.replace(a, id=f"A{i}") for i, a in enumerate(parts.assumptions, first)
                    )
                    piece.first_assumption = first
                    piece.checks = piece.checks and None  # see RENUMBERED
                assumptions.extend(piece.assumptions)
            if parts.info:
                infos.extend((info, piece) for info in parts.info)
        loading: list[Diagnostic] = []
        for extra, _ in infos[1:]:
            loading.append(Diagnostic("E102", "a file has one `model` header", extra.span,
                                      related=(("first header", infos[0][0].span),)))  # fmt: skip
        info_piece = infos[0][1] if infos else None
        if info_piece is not self._info_piece:
            for holder in (info_piece, self._info_piece):
                if holder is not None:
                    holder.checks = None
            self._info_piece = info_piece
        comments = self.parse.comments()
        model = n.Model(
            path=self.path,
            info=infos[0][0] if infos else None,
            team=tuple(groups["team"]),  # type: ignore[arg-type]
            data=tuple(groups["data"]),  # type: ignore[arg-type]
            agents=tuple(groups["agents"]),  # type: ignore[arg-type]
            boundaries=tuple(groups["boundaries"]),  # type: ignore[arg-type]
            elements=tuple(groups["elements"]),  # type: ignore[arg-type]
            flows=tuple(flows),
            controls=tuple(groups["controls"]),  # type: ignore[arg-type]
            risks=tuple(groups["risks"]),  # type: ignore[arg-type]
            assumptions=tuple(assumptions),
            rules=tuple(groups["rules"]),  # type: ignore[arg-type]
            views=tuple(groups["views"]),  # type: ignore[arg-type]
            imports=imported.nodes,
            sources=MappingProxyType({**imported.sources, self.path: self.parse.text}),
            comments=MappingProxyType({**imported.comments, self.path: comments}),
            unparsed_names=unparsed,
        )
        return model, loading

    def _validate(self, model: n.Model, pieces: list[Piece]) -> list[Diagnostic]:
        validator = Validator(model)
        validator.declare()
        found = list(validator.diagnostics)
        names = {name: f"{type(node).__name__}:{node.schema_kind}" for name, node in validator.names.items()}
        for name in model.unparsed_names:  # references to these go unreported while they are undeclared
            names.setdefault(name, "unparsed")
        changed = _changed(self._names, names)
        self._names = names
        threat_ids = frozenset(validator.threat_ids)
        rules_changed = threat_ids != self._threat_ids
        self._threat_ids = threat_ids
        for piece in pieces:
            if (
                piece.checks is None
                or rules_changed
                or piece.name_dependent
                or (changed and not changed.isdisjoint(piece.refs))
            ):
                check(validator, piece, model, piece is self._info_piece)
            if piece.checks:
                found.extend(piece.checks)
        validator.diagnostics = []
        validator.model = model
        validator.custom_rules()
        return found + validator.diagnostics

    # ---- lookups ------------------------------------------------------------------------
    def chunk_at(self, offset: int) -> Chunk | None:
        index = self.parse.chunk_index_at(offset)
        return self.parse.chunks[index] if index >= 0 else None


def check(validator: Validator, piece: Piece, model: n.Model, with_info: bool) -> None:
    """Validate one piece's nodes the way `Validator.run` does for the whole model."""
    validator.diagnostics = []
    parts = piece.parts
    for node in (*parts.team, *parts.data, *parts.agents, *parts.boundaries, *parts.elements, *piece.flows,
                 *parts.controls, *parts.rules, *parts.views):  # fmt: skip
        validator.attributes(node)
    for member in parts.team:
        validator.roles(member)
    for node in (*parts.risks, *piece.assumptions):
        validator.attributes(node)
    if with_info and model.info is not None:
        validator.attributes(model.info)
    if piece.flows or parts.risks:
        validator.model = n.Model(
            model.path, flows=piece.flows, risks=tuple(parts.risks), unparsed_names=model.unparsed_names
        )
        validator.flows()
        validator.decisions()
        validator.model = model
    if parts.views:
        validator.model = n.Model(model.path, views=tuple(parts.views), unparsed_names=model.unparsed_names)
        validator.views()
        validator.model = model
    piece.checks = validator.diagnostics
    piece.checked_info = with_info
    piece.name_dependent = any(d.code in NAME_CODES or d.related for d in piece.checks)
    own = {id(s) for s in piece.spans}
    piece.check_spans = list({id(d.span): d.span for d in piece.checks if id(d.span) not in own}.values())


def _reader(path: str) -> Read:
    """Well-formed chunks are read straight into parts (`tmdiag.reader`); Lark parses them only for tokens."""

    def read_chunk(text: str) -> tuple[object, tuple[Comment, ...]] | None:
        if text.count("{") != text.count("}") or text.count("[") != text.count("]"):
            return None  # most likely broken (an unclosed block can run to the end of the file): Lark says how
        found = read(text, path)
        return (found[0], found[1]) if found is not None else None

    return read_chunk


def _without_bom(text: str) -> str:
    """A byte-order mark read as a space: the same length, so the editor's positions still fit."""
    return " " + text[1:] if text.startswith("\ufeff") else text


def _changed(old: dict[str, str], new: dict[str, str]) -> set[str]:
    if old == new:
        return set()
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
