"""Positions between tmdiag and LSP.

tmdiag spans (from Lark) are 1-based lines and 1-based columns counted in code points, end
exclusive. LSP positions are 0-based lines and 0-based columns counted in the negotiated encoding:
UTF-16 code units by default (an emoji is 2), or UTF-8 bytes, or UTF-32 code points.
"""

from __future__ import annotations

import bisect

from lsprotocol import types

from tmdiag.diagnostics import Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """Length of `text` in code units of `encoding`."""
    if text.isascii() or encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def code_points(line: str, count: int, encoding: str = UTF16) -> int:
    """How many code points of `line` make up `count` code units (clamped to the line)."""
    if line.isascii() or encoding == UTF32:
        return min(count, len(line))
    used = 0
    for index, char in enumerate(line):
        width = len(char.encode("utf-8")) if encoding == UTF8 else (2 if ord(char) > 0xFFFF else 1)
        if used + width > count:
            return index
        used += width
    return len(line)


class LineIndex:
    """Line starts of a text, kept up to date edit by edit, for offset ↔ position conversion."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        self.starts = [0, *_line_starts(text, 0)]
        self.ascii = text.isascii()

    def edit(self, start: int, end: int, new_text: str, text: str) -> None:
        """`text` is the whole new text: `old[:start] + new_text + old[end:]`."""
        delta = len(new_text) - (end - start)
        first = bisect.bisect_right(self.starts, start)  # line starts after `start` may change
        last = bisect.bisect_right(self.starts, end)
        inserted = _line_starts(new_text, start)
        self.starts[first:] = inserted + [s + delta for s in self.starts[last:]]
        self.text = text
        self.ascii = new_text.isascii() and (self.ascii or text.isascii())

    def line_text(self, line: int) -> str:
        """Line `line` (0-based) without its line break."""
        if not 0 <= line < len(self.starts):
            return ""
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    # ---- LSP → offsets ------------------------------------------------------------------
    def offset(self, position: types.Position) -> int:
        if position.line >= len(self.starts):
            return len(self.text)
        line = self.line_text(position.line)
        return self.starts[position.line] + code_points(line, position.character, self.encoding)

    # ---- offsets and spans → LSP --------------------------------------------------------
    def position(self, offset: int) -> types.Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        before = self.text[self.starts[line] : offset]
        return types.Position(line, units(before, self.encoding))

    def lsp_position(self, line: int, column: int) -> types.Position:
        """From a 1-based line and 1-based code-point column."""
        text = self.line_text(line - 1)
        if text.isascii():
            return types.Position(max(0, line - 1), max(0, column - 1))
        return types.Position(max(0, line - 1), units(text[: max(0, column - 1)], self.encoding))

    def position_units(self, line: int, column: int) -> tuple[int, int]:
        """(0-based line, column in code units) from a 1-based line and 1-based code-point column."""
        if self.ascii:
            return max(0, line - 1), max(0, column - 1)
        text = self.line_text(line - 1)
        if text.isascii():
            return max(0, line - 1), max(0, column - 1)
        return max(0, line - 1), units(text[: max(0, column - 1)], self.encoding)

    def lsp_range(self, span: Span) -> types.Range:
        return types.Range(self.lsp_position(span.line, span.column), self.lsp_position(span.end_line, span.end_column))

    def span_offsets(self, span: Span) -> tuple[int, int]:
        def at(line: int, column: int) -> int:
            if line - 1 >= len(self.starts):
                return len(self.text)
            return min(self.starts[line - 1] + column - 1, len(self.text))

        return at(span.line, span.column), at(span.end_line, span.end_column)


def _line_starts(text: str, base: int) -> list[int]:
    """Offsets just after each newline of `text`, plus `base`."""
    starts = []
    found = text.find("\n")
    while found != -1:
        starts.append(found + 1 + base)
        found = text.find("\n", found + 1)
    return starts
