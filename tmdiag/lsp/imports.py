"""Imports of an open document: loaded through the loader, kept until an imported file changes.

An imported file that is open in the editor is read from the editor (its text as typed, saved or
not), any other from disk. The cache is fresh while every file it read is unchanged: an open
document's edit generation, a file's modification time and size.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
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
    files: dict[str, object] = field(default_factory=dict)  # absolute path → its stamp when loaded


Overlays = Mapping[str, tuple[str, int]]  # absolute path → (text, edit generation) of open documents


class ImportCache:
    def __init__(self) -> None:
        self._key: object = None
        self._value: Imported | None = None

    def load(
        self, display: str, fs_path: Path | None, imports: list[tuple[str, Span]], overlays: Overlays | None = None
    ) -> Imported:
        key = (display, fs_path, tuple((written, span.line, span.column) for written, span in imports))
        overlays = overlays or {}
        if self._value is not None and self._key == key and _fresh(self._value.files, overlays):
            return self._value
        self._key, self._value = key, _load(fs_path, imports, overlays)
        return self._value

    def reads(self, path: str) -> bool:
        """Did the last load read this file (or fail to resolve an import, which a new file may fix)?"""
        value = self._value
        return value is not None and (path in value.files or any(d.code == "E301" for d in value.diagnostics))


def stamp(path: str, overlays: Overlays) -> object:
    """What identifies a file's content: an open document's edit generation, else mtime and size."""
    if path in overlays:
        return ("open", overlays[path][1])
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def _fresh(files: dict[str, object], overlays: Overlays) -> bool:
    return all(stamp(path, overlays) == recorded for path, recorded in files.items())


class _Loader(Loader):
    """The loader, reading files open in the editor from their text there."""

    def __init__(self, root: Path, overlays: Overlays):
        super().__init__(root)
        self.overlays = overlays

    def load_file(self, path: Path, span: Span | None, stack: tuple[str, ...], given: str | None = None) -> None:
        key = str(path)
        if key in self.overlays and key not in self.done:
            self.done.add(key)
            self.load_text(self.overlays[key][0], self.display(path), key, stack)
            return
        super().load_file(path, span, stack, given)


def _load(fs_path: Path | None, imports: list[tuple[str, Span]], overlays: Overlays) -> Imported:
    base = fs_path.parent if fs_path is not None else Path.cwd()
    loader = _Loader(project_root(fs_path) if fs_path is not None else base, overlays)
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
    files = {path: stamp(path, overlays) for path in loader.done}
    return Imported(
        merged, piece, tuple(loader.state.imports), dict(loader.state.sources),
        dict(loader.state.comments), list(dict.fromkeys(loader.state.diagnostics)), files,
    )  # fmt: skip
