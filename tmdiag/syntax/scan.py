"""A light scan of `.tm` text: strings, comments, words and brackets, without the parser.

Used to cut a broken file into statements, to find comments, to measure nesting and to say
which block an error is in ("inside the boundary opened at line 3").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS, NAME_PATTERN, STRING_PATTERN

# Strings (possibly unterminated), comments, words, arrows, whitespace and single characters.
TOKENS = re.compile(
    r"(?P<string>" + STRING_PATTERN + r"?)|(?P<comment>#[^\n]*)|(?P<word>" + NAME_PATTERN + ")"
    r"|(?P<arrow>->)|(?P<space>\s+)|(?P<other>.)",
    re.DOTALL,
)
STATEMENT_KEYWORDS = frozenset(KEYWORDS_FOR_STATEMENTS)
OPENERS, CLOSERS = "{[(", "}])"


class LineIndex:
    """Offset → (line, column), both 1-based, in O(log n)."""

    def __init__(self, text: str):
        self.starts = [0]
        start = text.find("\n")
        while start != -1:
            self.starts.append(start + 1)
            start = text.find("\n", start + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


class PlacedIndex(LineIndex):
    """Positions in a statement's own text, reported where the statement stands in the file."""

    def __init__(self, text: str, line: int, column: int):
        super().__init__(text)
        self.line, self.column = line, column

    def position(self, offset: int) -> tuple[int, int]:
        line, column = super().position(offset)
        return line + self.line - 1, column + self.column - 1 if line == 1 else column


@dataclass(frozen=True, slots=True)
class Opener:
    char: str  # `{`, `[` or `(`
    offset: int
    construct: str  # what the bracket opens: boundary, team, rule, block, list, group


def tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    return TOKENS.finditer(text, start, len(text) if end is None else end)


def open_brackets(text: str, start: int = 0, end: int | None = None) -> list[Opener]:
    """The brackets still open at `end`, outermost first (strings and comments are skipped)."""
    stack: list[Opener] = []
    words: list[str] = []  # words since the last bracket, to name what a `{` opens
    for match in tokens(text, start, end):
        kind, value = match.lastgroup, match.group()
        if kind == "word":
            words.append(value)
        elif kind == "other" and value in OPENERS:
            stack.append(Opener(value, match.start(), _construct(value, words)))
            words = []
        elif kind == "other" and value in CLOSERS:
            if stack:
                stack.pop()
            words = []
    return stack


def _construct(char: str, words: list[str]) -> str:
    if char == "[":
        return "list"
    if char == "(":
        return "group"
    for keyword in ("boundary", "team", "rule"):
        if keyword in words[:1]:
            return keyword
    return "block"


_PAIRS = {"}": "{", "]": "[", ")": "("}


def close(stack: list[str], closer: str) -> bool:
    """Close the bracket `closer` ends, the way a reader would: `}` closes the innermost `{` (and an
    unclosed `[` or `(` inside it), `]` and `)` close only their own kind; a closer with nothing to
    close (`port: ]`) is ignored. False when it closed nothing."""
    opener = _PAIRS[closer]
    if opener not in stack or (closer != "}" and stack[-1] != opener):
        return False
    while stack.pop() != opener:
        pass
    return True


def statement_chunks(text: str) -> list[tuple[int, int]]:
    """Offsets of the top-level statements: each starts at a statement keyword or flow at depth 0.

    A statement keyword in column 1 also ends an unclosed block, so one missing `}` costs one
    statement, not the rest of the file.
    """
    top: list[tuple[str, str, int]] = []  # (kind, value, offset) at depth 0 only
    stack: list[str] = []
    for match in tokens(text):
        kind, value = match.lastgroup or "", match.group()
        if kind in ("space", "comment"):
            continue
        at_line_start = match.start() == 0 or text[match.start() - 1] == "\n"
        if stack and at_line_start and kind == "word" and value in STATEMENT_KEYWORDS:
            stack.clear()
        if kind == "other" and value in OPENERS:
            stack.append(value)
            continue
        if kind == "other" and value in CLOSERS:
            close(stack, value)
            continue
        if not stack:
            top.append((kind, value, match.start()))
    starts = [0]
    for i, (kind, value, offset) in enumerate(top):
        if kind != "word" or offset == 0:
            continue
        at_line_start = text[offset - 1] == "\n"
        before = top[i - 1][1] if i > 0 else ""
        after = [t[1] for t in top[i + 1 : i + 4]]
        is_statement = value in STATEMENT_KEYWORDS and before != ":"
        is_flow = after[:1] == ["->"] and before not in (":", "->")
        is_named_flow = after[:1] == [":"] and len(after) == 3 and after[2] == "->"
        is_line_start = at_line_start and value != "reply" and before not in ("->", ":")
        if is_statement or is_flow or is_named_flow or is_line_start:
            starts.append(offset)
    starts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(starts) if text[a:b].strip()]
