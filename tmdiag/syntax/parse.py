"""Parsing `.tm` text into Lark trees, recovering at statement boundaries.

The fast path parses the whole file at once. When it fails, the text is cut into top-level
statements (by a bracket-aware scan) and each is parsed on its own, so one run reports the first
error of every broken statement and keeps the trees of all the good ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.syntax import messages
from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS, parser

MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class Comment:
    text: str  # including the leading '#'
    span: Span


@dataclass(frozen=True, slots=True)
class ParseResult:
    path: str
    text: str
    statements: tuple[Tree[Token], ...]
    comments: tuple[Comment, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.diagnostics


# Strings, comments, words, arrows and single characters: enough to find statement boundaries.
_SCAN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*"?)|(?P<comment>#[^\n]*)|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)'
    r"|(?P<arrow>->)|(?P<space>\s+)|(?P<other>.)",
    re.DOTALL,
)
_STATEMENT_KEYWORDS = frozenset(KEYWORDS_FOR_STATEMENTS)


def parse(text: str, path: str = "<string>") -> ParseResult:
    """Parse a whole file. Never raises for bad input: problems come back as diagnostics."""
    comments, depth_error = _scan_comments_and_depth(text, path)
    if depth_error:
        return ParseResult(path, text, (), comments, (depth_error,))
    try:
        tree = parser().parse(text)
        return ParseResult(path, text, tuple(tree.children), comments, ())  # type: ignore[arg-type]
    except UnexpectedInput:
        pass
    statements: list[Tree[Token]] = []
    diagnostics: list[Diagnostic] = []
    for start, end in _statement_chunks(text):
        chunk = text[start:end]
        try:
            tree = parser().parse(chunk)
        except UnexpectedInput as error:
            diagnostics.append(_diagnostic(error, text, start, path))
            continue
        base_line = text.count("\n", 0, start) + 1
        base_column = start - (text.rfind("\n", 0, start) + 1) + 1
        for statement in tree.children:
            _shift(statement, start, base_line, base_column)  # type: ignore[arg-type]
            statements.append(statement)  # type: ignore[arg-type]
    if not diagnostics:  # chunks parsed alone but not together: cannot happen, but be safe
        diagnostics.append(Diagnostic("E001", "could not parse this file", Span.point(path, 1, 1)))
    return ParseResult(path, text, tuple(statements), comments, tuple(diagnostics))


def _scan_comments_and_depth(text: str, path: str) -> tuple[tuple[Comment, ...], Diagnostic | None]:
    comments: list[Comment] = []
    depth = 0
    line, line_start = 1, 0
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "comment":
            column = match.start() - line_start + 1
            comments.append(Comment(value, Span(path, line, column, line, column + len(value))))
        elif kind == "other" and value in "{[(":
            depth += 1
            if depth > MAX_NESTING:
                column = match.start() - line_start + 1
                return tuple(comments), Diagnostic(
                    "E005",
                    f"nesting deeper than {MAX_NESTING} levels",
                    Span.point(path, line, column),
                    hint="flatten the model: nest boundaries only as deep as the real system",
                )
        elif kind == "other" and value in "}])":
            depth = max(0, depth - 1)
        if "\n" in value:
            line += value.count("\n")
            line_start = match.start() + value.rfind("\n") + 1
    return tuple(comments), None


def _statement_chunks(text: str) -> list[tuple[int, int]]:
    """Offsets of the top-level statements: each starts at a statement keyword or flow at depth 0."""
    tokens: list[tuple[str, str, int]] = []  # (kind, value, offset) at depth 0 only
    depth = 0
    for match in _SCAN.finditer(text):
        kind, value = match.lastgroup or "", match.group()
        if kind in ("space", "comment"):
            continue
        at_line_start = match.start() == 0 or text[match.start() - 1] == "\n"
        if depth and at_line_start and kind == "word" and value in _STATEMENT_KEYWORDS:
            depth = 0  # an unclosed block: a keyword in column 1 starts the next statement
        if kind == "other" and value in "{[(":
            depth += 1
            continue
        if kind == "other" and value in "}])":
            depth = max(0, depth - 1)
            continue
        if depth == 0:
            tokens.append((kind, value, match.start()))
    starts = [0]
    for i, (kind, value, offset) in enumerate(tokens):
        at_line_start = offset == 0 or text[offset - 1] == "\n"
        if kind != "word":
            continue
        before = tokens[i - 1][1] if i > 0 else ""
        after = [t[1] for t in tokens[i + 1 : i + 4]]
        is_statement = value in _STATEMENT_KEYWORDS and before != ":"
        is_flow = after[:1] == ["->"] and before != ":"
        is_named_flow = after[:1] == [":"] and len(after) == 3 and after[2] == "->"
        is_line_start = at_line_start and value != "reply" and before not in ("->", ":")
        if (is_statement or is_flow or is_named_flow or is_line_start) and offset > 0:
            starts.append(offset)
    starts.append(len(text))
    return [(a, b) for a, b in zip(starts, starts[1:], strict=False) if text[a:b].strip()]


def _shift(tree: Tree[Token], offset: int, base_line: int, base_column: int) -> None:
    """Move positions of a chunk's tree to where the chunk stands in the whole file."""

    def line(n: int) -> int:
        return n + base_line - 1

    def column(n: int, at_line: int) -> int:
        return n + base_column - 1 if at_line == 1 else n

    for subtree in tree.iter_subtrees():
        meta = subtree.meta
        if not meta.empty:
            meta.column = column(meta.column, meta.line)
            meta.end_column = column(meta.end_column, meta.end_line)
            meta.line, meta.end_line = line(meta.line), line(meta.end_line)
            meta.start_pos += offset
            meta.end_pos += offset
        for child in subtree.children:
            if isinstance(child, Token) and child.line is not None:
                child.column = column(child.column or 1, child.line)
                child.end_column = column(child.end_column or 1, child.end_line or child.line)
                child.line, child.end_line = line(child.line), line(child.end_line or child.line)
                child.start_pos = (child.start_pos or 0) + offset
                child.end_pos = (child.end_pos or 0) + offset


def _diagnostic(error: UnexpectedInput, text: str, offset: int, path: str) -> Diagnostic:
    """A syntax diagnostic for an error raised while parsing the chunk that starts at `offset`."""
    base_line = text.count("\n", 0, offset) + 1
    base_column = offset - (text.rfind("\n", 0, offset) + 1) + 1

    def at(line: int, column: int, length: int = 1) -> Span:
        absolute_line = line + base_line - 1
        absolute_column = column + base_column - 1 if line == 1 else column
        return Span(path, absolute_line, absolute_column, absolute_line, absolute_column + max(1, length))

    chunk_end = _chunk_end(text, offset)
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token = error.token
        expected = messages.expected_words(error.accepts or error.expected)
        found = messages.describe_token(token)
        hint = messages.keyword_hint(text, offset + (token.start_pos or 0), error.accepts or error.expected)
        return Diagnostic(
            "E001",
            f"unexpected {found}; expected {expected}",
            at(token.line or 1, token.column or 1, len(str(token))),
            hint=hint,
        )
    if isinstance(error, UnexpectedCharacters):
        char = text[offset + error.pos_in_stream] if offset + error.pos_in_stream < len(text) else ""
        expected = messages.expected_words(error.allowed or set())
        if char == '"':
            message = "unterminated string: a string must close with `\"` on the same line"
        else:
            message = f"unexpected character {messages.describe_char(char)}; expected {expected}"
        return Diagnostic("E002", message, at(error.line, error.column))
    # end of input inside a statement: point at the end of that statement's text
    expected_set = error.expected if isinstance(error, UnexpectedEOF) else (
        error.accepts or error.expected if isinstance(error, UnexpectedToken) else set()
    )
    end = chunk_end
    while end > offset and text[end - 1].isspace():
        end -= 1
    line = text.count("\n", 0, end) + 1
    column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Diagnostic(
        "E003",
        f"unexpected end of input; expected {messages.expected_words(set(expected_set))}",
        Span.point(path, line, column),
        hint=messages.unclosed_hint(text[offset:end]),
    )


def _chunk_end(text: str, offset: int) -> int:
    for start, end in _statement_chunks(text):
        if start <= offset < end:
            return end
    return len(text)
