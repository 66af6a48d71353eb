"""Parsing `.tm` text into Lark trees, recovering at statement boundaries.

The fast path parses the whole file at once. When it fails, the text is cut into top-level
statements (by a bracket-aware scan) and each is parsed on its own, so one run reports the first
error of every broken statement and keeps the trees of all the good ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.limits import MAX_NESTING, MAX_SYNTAX_ERRORS, MAX_TOKENS
from tmdiag.syntax import scan
from tmdiag.syntax.grammar import NAME_PATTERN, parser

if TYPE_CHECKING:
    from lark import Token, Tree


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
    # Identifiers written in statements that did not parse: names they may have declared.
    unparsed_names: frozenset[str] = frozenset()
    tokens: int = 0  # words, strings, numbers and symbols counted (comments and spaces are not)

    @property
    def ok(self) -> bool:
        return not self.diagnostics


_WORD = re.compile(NAME_PATTERN)


def parse(text: str, path: str = "<string>", max_tokens: int = MAX_TOKENS) -> ParseResult:
    """Parse a whole file. Never raises for bad input: problems come back as diagnostics. A file of
    more than `max_tokens` tokens is refused before parsing (E008): parse trees cost ~500 bytes a
    token, so the bound keeps memory proportionate on any input."""
    index = scan.LineIndex(text)
    nul = text.find("\x00")
    if nul != -1:
        line, column = index.position(nul)
        problem = Diagnostic("E004", "this is not a text file: it contains NUL bytes", Span.point(path, line, column),
                             hint="a .tm file is plain UTF-8 text")  # fmt: skip
        return ParseResult(path, text, (), (), (problem,))
    comments, tokens, early_error = _scan(text, path, index, max_tokens)
    if early_error:
        return ParseResult(path, text, (), comments, (early_error,), tokens=tokens)
    from lark.exceptions import UnexpectedInput  # imported here: see grammar.parser

    from tmdiag.syntax.explain import explain
    from tmdiag.syntax.recover import recover

    try:
        tree = parser().parse(text)
        return ParseResult(path, text, tuple(tree.children), comments, (), tokens=tokens)  # type: ignore[arg-type]
    except UnexpectedInput:
        pass
    statements: list[Tree[Token]] = []
    diagnostics: list[Diagnostic] = []
    unparsed: set[str] = set()
    pending = list(reversed(scan.statement_chunks(text)))
    while pending:
        start, end = pending.pop()
        if len(diagnostics) >= MAX_SYNTAX_ERRORS:
            line, column = index.position(start)
            message = f"too many syntax errors; stopped after {MAX_SYNTAX_ERRORS}"
            diagnostics.append(Diagnostic("E001", message, Span.point(path, line, column), hint="fix these first"))
            unparsed.update(_WORD.findall(text, start))
            break
        try:
            tree = parser().parse(text[start:end])
        except UnexpectedInput as error:
            # The scan cuts at every statement keyword, also at one misused as an id
            # (`actor data "Data"`): if the piece parses together with the next, it is one statement.
            joined = _parse_joined(text, start, pending[-1][1]) if pending and pending[-1][0] == end else None
            if joined is None:
                line, column = index.position(start)
                recovered = recover(text[start:end], MAX_SYNTAX_ERRORS - len(diagnostics), error)
                if recovered is None:
                    diagnostics.append(explain(error, text, start, end, index, path))
                    unparsed.update(_WORD.findall(text, start, end))
                    continue
                for broken in recovered.errors:  # each in the text it was found in (same offsets)
                    seen = broken.text
                    placed = scan.PlacedIndex(seen, line, column)
                    diagnostics.append(explain(broken.error, seen, 0, len(seen), placed, path, broken.item_end))
                unparsed.update(recovered.unparsed_names)
                statements.extend(_shifted(recovered.trees, start, line, column))
                continue
            tree, end = joined, pending.pop()[1]
        base_line, base_column = index.position(start)
        for statement in tree.children:
            _shift(statement, start, base_line, base_column)  # type: ignore[arg-type]
            statements.append(statement)  # type: ignore[arg-type]
    if not diagnostics:  # chunks parsed alone but not together: cannot happen, but be safe
        diagnostics.append(Diagnostic("E001", "could not parse this file", Span.point(path, 1, 1)))
    return ParseResult(path, text, tuple(statements), comments, tuple(diagnostics), frozenset(unparsed), tokens)


def _shifted(trees: tuple[Tree[Token], ...], offset: int, line: int, column: int) -> list[Tree[Token]]:
    for tree in trees:
        _shift(tree, offset, line, column)
    return list(trees)


def _parse_joined(text: str, start: int, end: int) -> Tree[Token] | None:
    from lark.exceptions import UnexpectedInput

    try:
        return parser().parse(text[start:end])
    except UnexpectedInput:
        return None


def _scan(
    text: str, path: str, index: scan.LineIndex, max_tokens: int = MAX_TOKENS
) -> tuple[tuple[Comment, ...], int, Diagnostic | None]:
    """Comments, the number of tokens, and a problem that stops parsing: too deep or too many tokens."""
    comments: list[Comment] = []
    openers: list[int] = []
    count = 0
    for match in scan.tokens(text):
        kind, value = match.lastgroup, match.group()
        if kind == "space":
            continue
        if kind == "comment":
            line, column = index.position(match.start())
            comments.append(Comment(value, Span(path, line, column, line, column + len(value))))
            continue
        count += 1
        if count > max_tokens:
            line, column = index.position(match.start())
            message = f"too large: more than {MAX_TOKENS:,} words, strings, numbers and symbols"
            message += "" if max_tokens == MAX_TOKENS else " in the model's files together"
            return (
                tuple(comments),
                count,
                Diagnostic(
                    "E008", message, Span.point(path, line, column), hint="split the system into several models"
                ),
            )
        if kind == "other" and value in scan.OPENERS:
            openers.append(match.start())
            if len(openers) > MAX_NESTING:
                line, column = index.position(match.start())
                what = "blocks" if value == "{" else "lists" if value == "[" else "parentheses"
                hint = ("nest boundaries only as deep as the real system" if value == "{"
                        else f"{what} nest at most {MAX_NESTING} deep")  # fmt: skip
                return (
                    tuple(comments),
                    count,
                    Diagnostic(
                        "E005",
                        f"{what} nested deeper than {MAX_NESTING} levels",
                        Span.point(path, line, column),
                        hint=hint,
                    ),
                )
        elif kind == "other" and value in scan.CLOSERS and openers:
            openers.pop()
    return tuple(comments), count, None


def _scan_comments_and_depth(
    text: str, path: str, index: scan.LineIndex | None = None
) -> tuple[tuple[Comment, ...], Diagnostic | None]:
    """Comments and a problem that stops parsing (the incremental parser's view of `_scan`)."""
    comments, _, problem = _scan(text, path, index or scan.LineIndex(text))
    return comments, problem


def _shift(tree: Tree[Token], offset: int, base_line: int, base_column: int) -> None:
    """Move positions of a chunk's tree to where the chunk stands in the whole file."""
    from lark import Token

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
