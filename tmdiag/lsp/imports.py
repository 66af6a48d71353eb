"""Imports of an open document: loaded through the loader, kept until an imported file changes."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.loader import Loader, project_root
from tmdiag.lsp.pieces import Piece, collect_spans, references
from tmdiag.model import nodes as n
from tmdiag.model.build import FileParts, number_flows


@dataclass
class Imported:
    """Everything the document's imports bring, merged in load order."""

    parts: FileParts
    piece: Piece  # one piece for the imported nodes (numbered flows, cached checks)
    nodes: tuple[n.Import, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    comments: dict[str, tuple[object, ...]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, float] = field(default_factory=dict)  # absolute path → mtime when loaded


class ImportCache:
    def __init__(self) -> None:
        self._key: object = None
        self._value: Imported | None = None

    def load(self, display: str, fs_path: Path | None, imports: list[tuple[str, Span]]) -> Imported:
        key = (display, fs_path, tuple((written, span.line, span.column) for written, span in imports))
        if self._value is not None and self._key == key and _fresh(self._value.files):
            return self._value
        self._key, self._value = key, _load(fs_path, imports)
        return self._value


def _fresh(files: dict[str, float]) -> bool:
    for path, mtime in files.items():
        try:
            if os.stat(path).st_mtime != mtime:
                return False
        except OSError:
            return False
    return True


def _load(fs_path: Path | None, imports: list[tuple[str, Span]]) -> Imported:
    base = fs_path.parent if fs_path is not None else Path.cwd()
    loader = Loader(project_root(fs_path) if fs_path is not None else base)
    key = str(fs_path) if fs_path is not None else ""
    for written, span in imports:
        target = loader.resolve(written, base, span)
        loader.state.imports.append(n.Import(written, str(target or ""), span))
        if target is None:
            continue
        if str(target) == key:
            loader.state.diagnostics.append(Diagnostic("E302", f"import cycle: {target.name} -> {target.name}", span))
            continue
        loader.load_file(target, span, (key, str(target)))
    merged = FileParts.merged("<imports>", loader.state.order)
    merged.info.clear()  # an imported file's header is not the model's
    piece = Piece(
        merged, collect_spans(merged), references(merged), unparsed_names=frozenset(loader.state.unparsed_names)
    )
    piece.flows, piece.first_flow = number_flows(merged.flows, 1), 1
    piece.assumptions = tuple(dataclasses.replace(a, id=f"A{i}") for i, a in enumerate(merged.assumptions, 1))
    piece.first_assumption = 1
    files = {}
    for path in loader.done:
        try:
            files[path] = os.stat(path).st_mtime
        except OSError:
            files[path] = -1.0
    return Imported(
        merged, piece, tuple(loader.state.imports), dict(loader.state.sources),
        dict(loader.state.comments), list(dict.fromkeys(loader.state.diagnostics)), files,
    )  # fmt: skip
