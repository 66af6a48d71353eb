"""Workspace symbols: the declarations of every `.tm` file under the workspace folders.

Files are parsed and built (not validated) once and kept while their modification time and size stay
the same; documents open in the editor answer from their current text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from tmdiag.inputs import read_bytes
from tmdiag.lsp.positions import LineIndex
from tmdiag.lsp.symbols import ELEMENT_SYMBOLS
from tmdiag.model import nodes as n
from tmdiag.model.build import FileParts, build
from tmdiag.syntax import parse

SKIP = frozenset({".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache",
                  ".ruff_cache", ".pytest_cache", "site-packages", "dist", "build"})  # fmt: skip
MAX_FILES = 5000
MAX_RESULTS = 1000
MAX_BYTES = 4 * 1024 * 1024  # bigger files are left out of the index

_S = types.SymbolKind
GROUP_KINDS = {"boundaries": _S.Namespace, "data": _S.Variable, "team": _S.Constant, "agents": _S.Event,
               "controls": _S.Key, "rules": _S.Function, "flows": _S.Operator}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: types.SymbolKind
    container: str | None  # the boundary it is in
    line: int  # 1-based, as in spans
    column: int
    end_line: int
    end_column: int


def entries(parts: FileParts | n.Model, path: str) -> list[Entry]:
    """The declarations of one file (of a model: those written in `path`)."""
    found = []
    for group, kind in GROUP_KINDS.items():
        for node in getattr(parts, group):
            if node.span.path != path or (isinstance(node, n.Flow) and not node.named):
                continue
            parent = node.parent if isinstance(node, n.Boundary) else None
            found.append(_entry(node, kind, parent))
    for element in parts.elements:
        if element.span.path == path:
            found.append(_entry(element, ELEMENT_SYMBOLS.get(element.kind, _S.Object), element.boundary))
    return found


def _entry(node: n.Node, kind: types.SymbolKind, container: str | None) -> Entry:
    span = node.id_span
    return Entry(node.id, kind, container, span.line, span.column, span.end_line, span.end_column)


def matches(query: str, name: str) -> bool:
    """Case-insensitive: the query's letters appear in the name in order (`chkdb` finds `checkout_db`)."""
    name = name.lower()
    at = 0
    for char in query.lower():
        at = name.find(char, at) + 1
        if not at:
            return False
    return True


class SymbolIndex:
    def __init__(self) -> None:
        self._files: dict[str, tuple[object, list[Entry], str]] = {}  # path → (stamp, entries, text)

    def tm_files(self, roots: list[Path]) -> Iterator[Path]:
        seen = 0
        for root in roots:
            for folder, folders, files in os.walk(root):
                folders[:] = sorted(f for f in folders if f not in SKIP and not f.startswith("."))
                for name in sorted(files):
                    if name.endswith(".tm"):
                        seen += 1
                        if seen > MAX_FILES:
                            return
                        yield Path(folder) / name

    def file_entries(self, path: Path) -> tuple[list[Entry], str]:
        key = str(path)
        try:
            status = path.stat()
        except OSError:
            self._files.pop(key, None)
            return [], ""
        stamp = (status.st_mtime_ns, status.st_size)
        cached = self._files.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        if status.st_size > MAX_BYTES:
            return [], ""
        try:  # regular files only: a named pipe `x.tm` in the workspace must not block the server
            text = read_bytes(path, MAX_BYTES).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return [], ""
        result = parse(text, key)
        found = entries(build(key, result.statements), key)
        self._files[key] = (stamp, found, text)
        return found, text

    def search(self, roots: list[Path], query: str, open_models: dict[str, tuple[n.Model, str, LineIndex]],
               encoding: str = "utf-16") -> list[types.WorkspaceSymbol]:  # fmt: skip
        """Symbols matching `query` in the workspace; `open_models`: path → (model, uri, positions) of
        the open documents, which answer from their current text."""
        results: list[types.WorkspaceSymbol] = []
        paths = {str(p) for p in self.tm_files(roots)} | set(open_models)
        for key in sorted(paths):
            if key in open_models:
                model, uri, lines = open_models[key]
                found = entries(model, model.path)
            else:
                found, text = self.file_entries(Path(key))
                uri, lines = Path(key).as_uri(), None  # type: ignore[assignment]
            for entry in found:
                if query and not matches(query, entry.name):
                    continue
                if lines is None:
                    lines = LineIndex(text, encoding)
                start = lines.lsp_position(entry.line, entry.column)
                end = lines.lsp_position(entry.end_line, entry.end_column)
                location = types.Location(uri, types.Range(start, end))
                results.append(types.WorkspaceSymbol(location, entry.name, entry.kind, container_name=entry.container))
                if len(results) >= MAX_RESULTS:
                    return results
        return results
