"""Rendering diagnostics: human text (source line and caret) and JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping

from tmdiag.diagnostics import Diagnostic, Severity

_COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"
_WIDTH = 200  # longest source excerpt shown


def printable(text: str) -> str:
    """Text safe for a terminal: tabs become spaces, control characters (escape sequences from a
    hostile file) become `�`, one character for one, so carets stay aligned."""
    if text.isprintable():
        return text
    return "".join(" " if c == "\t" else c if c.isprintable() else "\ufffd" for c in text)


def _cells(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK, emoji) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


_LINES: dict[str, tuple[str, list[str]]] = {}  # path -> (text, its lines): split each file once


def source_line(sources: Mapping[str, str], path: str, line: int) -> str | None:
    text = sources.get(path)
    if text is None:
        return None
    cached = _LINES.get(path)
    if cached is None or cached[0] is not text:
        if len(_LINES) > 16:
            _LINES.clear()
        cached = _LINES[path] = (text, text.split("\n"))  # lines as the parser counts them: by "\n" only
    lines = cached[1]
    return lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else None


def render_text(diagnostic: Diagnostic, sources: Mapping[str, str], colour: bool = False) -> str:
    """`path:line:col: error[CODE]: message`, the source line, a caret under the span, hints."""
    d, span = diagnostic, diagnostic.span

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    label = paint(_COLOURS[d.severity], f"{d.severity.label}[{d.code}]")
    head = f"{printable(span.path)}:{span.line}:{span.column}: {label}: "
    out = [head + paint(_BOLD, printable(d.message))]
    line = source_line(sources, span.path, span.line)
    if line is not None:
        column = min(span.column, len(line) + 1)
        width = (span.end_column - span.column) if span.end_line == span.line else len(line) - column + 1
        start = max(0, column - 100) if len(line) > _WIDTH else 0  # a window around the column of long lines
        shown = ("…" if start else "") + printable(line[start : start + _WIDTH])
        caret = column - start + (1 if start else 0)
        width = max(1, min(width, len(shown) - caret + 1))
        gutter = str(span.line).rjust(4)
        out.append(paint(_BLUE, f"{gutter} | ") + shown)
        pad, under = _cells(shown[: caret - 1]), max(1, _cells(shown[caret - 1 : caret - 1 + width]))
        out.append(paint(_BLUE, f"{' ' * len(gutter)} | ") + " " * pad + paint(_COLOURS[d.severity], "^" * under))
    if d.hint:
        out.append(f"     = help: {printable(d.hint)}")
    for note, where in d.related:
        place = f"{where.path}:{where.line}:{where.column}" if where.in_file else where.path
        out.append(f"     = note: {printable(note)}: {printable(place)}")
    return "\n".join(out)


def to_dict(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "severity": d.severity.label,
        "message": d.message,
        "hint": d.hint,
        "path": d.span.path,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "related": [{"message": m, "path": s.path, "line": s.line, "column": s.column} for m, s in d.related],
    }


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([to_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def summary(diagnostics: list[Diagnostic], files: int, models: int | None = None) -> str:
    """`All good: 1 model checked (3 files), no problems.` — `models`: the entry models checked,
    `files`: every file read for them (their imports too); without `models`, files only."""
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    what, read = f"{files} file{'s' if files != 1 else ''}", ""
    if models is not None:
        what, read = f"{models} model{'s' if models != 1 else ''}", (f" ({what})" if files != models else "")
    if not diagnostics:
        return f"All good: {what} checked{read}, no problems."
    parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in reversed(Severity) if counts[s]]
    return f"Found {', '.join(parts)} in {what}{read}."
