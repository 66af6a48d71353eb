"""A missing `}` or `{`, found from the indentation, so the rest of the statement still loads.

A statement whose `{` and `}` do not balance is read the way its indentation shows it:

- a missing `}`: a block whose lines were indented under its header ends before the first line that
  is not (`boundary priv` back at the level of `process alb {`), or before a `}` less indented than
  the header; blocks still open at the end of the statement end there;
- a missing `{`: a statement line (`datastore rds "DB"`) followed by more indented `key: value`
  lines opens a block.

The brace goes in at the end of a line's code, so every line and column after it stays where it was
(only offsets move, by `len(Repair.inserted)`; `unshift` moves trees back). Each repair is reported
(E003 / E001) with a quick fix that writes the same brace.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from lark import Token, Tree

from tmdiag.syntax import scan

CLOSE, OPEN = " }", " {"


@dataclass(frozen=True, slots=True)
class Repair:
    offset: int  # where the brace goes in: the end of a line's code
    inserted: str  # OPEN, or CLOSE once or more (" } }": blocks ending at the same place)
    headers: tuple[int, ...]  # the `{`s never closed, innermost first; or the start of the line without `{`
    shown_by: int | None  # the line start that shows it (not indented inside; the first indented line)


@dataclass
class _Line:
    start: int
    indent: int
    code: list[tuple[str, str, int]]  # (kind, value, offset): words, strings, symbols (no comments)
    code_end: int


@dataclass
class _Open:
    offset: int
    indent: int
    line: int
    indented: bool | None = None  # were the lines after the header indented under it


def repairs(text: str) -> list[Repair]:
    """The braces to add so that `{` and `}` balance, as the indentation shows them (may be none).
    None either while a string is unterminated or a `[` or `(` unbalanced: those errors come first."""
    lines = _lines(text)
    code = [value for line in lines for kind, value, _ in line.code if kind in ("other", "string")]
    if any(value.startswith('"') and not _closed(value) for value in code):
        return []
    if code.count("[") != code.count("]") or code.count("(") != code.count(")"):
        return []
    balance = code.count("{") - code.count("}")
    if balance > 0:
        return _missing_closers(lines, balance)
    if balance < 0:
        return _missing_openers(lines, -balance)
    return []


def _closed(string: str) -> bool:
    body = string[1:]
    return body.endswith('"') and (len(body) - len(body[:-1].rstrip("\\")) - 1) % 2 == 0


def apply(text: str, found: list[Repair]) -> str:
    parts, at = [], 0
    for repair in sorted(found, key=lambda r: r.offset):
        parts += [text[at : repair.offset], repair.inserted]
        at = repair.offset
    return "".join([*parts, text[at:]])


def unshift(trees: tuple[Tree[Token], ...], found: list[Repair]) -> None:
    """Move offsets in trees of the repaired text back to the original text (lines and columns stay)."""
    points = sorted((r.offset, len(r.inserted)) for r in found)

    def back(offset: int) -> int:
        moved, shift = offset, 0
        for at, length in points:
            if offset >= at + shift + length:
                moved -= length
                shift += length
        return moved

    for tree in trees:
        for subtree in tree.iter_subtrees():
            if not subtree.meta.empty:
                subtree.meta.start_pos, subtree.meta.end_pos = back(subtree.meta.start_pos), back(subtree.meta.end_pos)
            for child in subtree.children:
                if isinstance(child, Token) and child.start_pos is not None:
                    child.start_pos, child.end_pos = back(child.start_pos), back(child.end_pos or child.start_pos)


def header_words(text: str, offset: int) -> str:
    """What a `{` (or a statement line) opens, in a few words: `process alb`, `user -> alb`."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    end = offset if text[offset : offset + 1] == "{" else (len(text) if line_end < 0 else line_end)
    words: list[str] = []
    for match in scan.tokens(text, line_start, end):
        if match.lastgroup in ("word", "arrow"):
            words.append(match.group())
        elif match.lastgroup == "other" and match.group() in "{}":
            words = []  # `boundary a { boundary b {`: the words of the last one
    return " ".join(words[:3])


def _lines(text: str) -> list[_Line]:
    found, start = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        code = [(m.lastgroup or "", m.group(), m.start()) for m in scan.tokens(text, start, start + len(body))
                if m.lastgroup not in ("space", "comment")]  # fmt: skip
        if code:
            stripped = body.lstrip(" \t")
            indent = len(body[: len(body) - len(stripped)].expandtabs(8))
            last = code[-1]
            found.append(_Line(start, indent, code, last[2] + len(last[1])))
        start += len(raw)
    return found


def _missing_closers(lines: list[_Line], budget: int) -> list[Repair]:
    found: list[Repair] = []
    stack: list[_Open] = []
    previous: _Line | None = None
    for number, line in enumerate(lines):
        first = line.code[0][1]
        for opened in stack:
            if opened.indented is None and opened.line < number:
                opened.indented = line.indent > opened.indent
        while budget and stack and previous is not None and stack[-1].line < number:
            top = stack[-1]
            closes_outer = first == "}" and line.indent < top.indent
            dedented = first != "}" and top.indented and line.indent <= top.indent
            if not (closes_outer or dedented):
                break
            stack.pop()
            _close(found, Repair(previous.code_end, CLOSE, (top.offset,), line.start))
            budget -= 1
        for _, value, offset in line.code:
            if value == "{":
                stack.append(_Open(offset, line.indent, number))
            elif value == "}" and stack:
                stack.pop()
        previous = line
    while budget and stack and previous is not None:  # still open at the end of the statement
        _close(found, Repair(previous.code_end, CLOSE, (stack.pop().offset,), None))
        budget -= 1
    return found


def _close(found: list[Repair], repair: Repair) -> None:
    """Add a `}`; blocks that end at the same place get one repair (" } }")."""
    last = found[-1] if found else None
    if last is not None and (last.offset, last.shown_by) == (repair.offset, repair.shown_by):
        found[-1] = Repair(last.offset, last.inserted + CLOSE, last.headers + repair.headers, last.shown_by)
    else:
        found.append(repair)


def _missing_openers(lines: list[_Line], budget: int) -> list[Repair]:
    found: list[Repair] = []
    for line, after in itertools.pairwise(lines):
        if not budget:
            break
        kind, word, _ = line.code[0]
        is_header = kind == "word" and word in scan.STATEMENT_KEYWORDS and all(v != "{" for _, v, _ in line.code)
        is_attribute = len(after.code) > 1 and after.code[0][0] == "word" and after.code[1][1] == ":"
        if is_header and is_attribute and after.indent > line.indent and line.code[-1][1] not in (",", "[", "("):
            found.append(Repair(line.code_end, OPEN, (line.code[0][2],), after.start))
            budget -= 1
    return found
