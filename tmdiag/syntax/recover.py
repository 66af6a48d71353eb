"""Recovery inside blocks: one broken line in a boundary costs that line, not the whole boundary.

A top-level statement that does not parse is cut into the items of its block (attributes, elements,
nested boundaries, team members, `when:` conditions), each tried alone inside the statement's
skeleton (its header and closing brace). Items that fail are blanked out (replaced by spaces,
newlines kept, so every position stays where it was) and the statement is parsed again without
them: its good parts are kept and every broken item reports its own first error. A broken nested
block is recovered the same way, one level down.

Recovery gives up (the caller reports the statement's first error, as before) when the statement
has no block, when its block is not closed, or when its header itself is broken.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from tmdiag.syntax import braces, scan
from tmdiag.syntax.grammar import NAME_PATTERN, parser

MAX_ITEMS = 2000  # items tried per statement; a bigger broken block is reported as one error
_WORD = re.compile(NAME_PATTERN)


@dataclass(frozen=True)
class Problem:
    """A parse error, with the text it was found in: the statement's own, or the statement with every
    other item blanked out (the same length, so offsets are the statement's)."""

    error: UnexpectedInput | braces.Repair
    text: str
    item_end: int | None = None  # where the broken item ends in `text` (None: a whole statement)


@dataclass(frozen=True)
class Recovered:
    """A broken statement's good parts, and the errors of its broken items."""

    trees: tuple[Tree[Token], ...]  # positions relative to the statement's text
    errors: tuple[Problem, ...]
    unparsed_names: frozenset[str]  # words of the blanked items


def recover(text: str, limit: int, error: UnexpectedInput | None = None) -> Recovered | None:
    """`_recover`, after adding the braces the indentation shows missing (see `tmdiag.syntax.braces`):
    each added brace is one error, and the statement loads as its indentation reads. A statement
    whose keyword is misspelt (`boundry priv { … }`) is read with the keyword meant, so the errors
    inside it are reported too (and its elements load)."""
    return _with_braces(text, limit, error) or _respelt(text, limit, error)


_FIRST_WORD = re.compile(rf"({NAME_PATTERN})[ \t]")


def _respelt(text: str, limit: int, error: UnexpectedInput | None) -> Recovered | None:
    from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS
    from tmdiag.syntax.messages import keyword_suggestion

    first = _FIRST_WORD.match(text)  # only a statement with a block hides errors inside it
    fix = keyword_suggestion(first.group(1)) if first and limit > 1 and "{" in text else None
    if first is None or fix is None or fix.replacement not in KEYWORDS_FOR_STATEMENTS:
        return None
    if error is None:
        try:
            parser().parse(text)
        except UnexpectedInput as failed:
            error = failed
    if error is None:
        return None
    keyword, delta = fix.replacement, len(fix.replacement) - first.end(1)
    meant = keyword + text[first.end(1) :]
    try:
        inner = Recovered(tuple(c for c in parser().parse(meant).children if isinstance(c, Tree)), (), frozenset())
    except UnexpectedInput as failed:
        found = _with_braces(meant, limit - 1, failed)
        if found is None:
            return None
        inner = found
    if any("\n" not in p.text[:at] for p in inner.errors for at in _places(p)):
        return None  # an error on the keyword's own line: its columns would be the respelt text's
    _move_back(inner.trees, len(keyword), delta)
    return Recovered(inner.trees, (Problem(error, text), *inner.errors), inner.unparsed_names | {first.group(1)})


def _move_back(trees: tuple[Tree[Token], ...], after: int, delta: int) -> None:
    """Positions of a statement read with its keyword respelt (`delta` characters longer), in the text
    as written: offsets past the keyword, and columns on its line."""

    def offset(value: int) -> int:
        return value - delta if value >= after else value

    def column(line: int | None, value: int) -> int:
        return value - delta if line == 1 and value > after else value

    for tree in trees:
        for subtree in tree.iter_subtrees():
            meta = subtree.meta
            if not meta.empty:
                meta.column, meta.end_column = column(meta.line, meta.column), column(meta.end_line, meta.end_column)
                meta.start_pos, meta.end_pos = offset(meta.start_pos), offset(meta.end_pos)
            for child in subtree.children:
                if isinstance(child, Token) and child.start_pos is not None:
                    child.column = column(child.line, child.column or 1)
                    child.end_column = column(child.end_line, child.end_column or 1)
                    child.start_pos, child.end_pos = offset(child.start_pos), offset(child.end_pos or child.start_pos)


def _with_braces(text: str, limit: int, error: UnexpectedInput | None) -> Recovered | None:
    found = braces.repairs(text)[:limit]
    if not found:
        return _recover(text, limit, error)
    repaired = braces.apply(text, found)
    added = tuple(Problem(repair, text) for repair in found)
    recovered = _recover(repaired, limit - len(found))
    if recovered is None or any(_at_added(p, found) for p in recovered.errors):
        return _recover(text, limit, error)  # the guess made things worse: as without it
    braces.unshift(recovered.trees, found)
    return Recovered(recovered.trees, (*added, *recovered.errors), recovered.unparsed_names)


def _recover(text: str, limit: int, error: UnexpectedInput | None = None) -> Recovered | None:
    """Recover the statement `text`, which does not parse (`error`: how it failed, when known),
    reporting at most `limit` errors.

    Each round takes the parser's error, finds the item to blame (the innermost item of a block at or
    before the error, tried alone; or the one before it, which may have swallowed the next one's first
    word: `bob "Bob"` without a role), blanks it out and parses again. One error costs one parse of
    the statement up to the error and a few parses of single items."""
    blanks: list[Range] = []
    errors: list[Problem] = []
    masked = text
    while True:
        if error is None:
            try:
                tree = parser().parse(masked)
                break
            except UnexpectedInput as failed:
                error = failed
        if len(errors) >= limit:
            return None
        found = _culprit(masked, _offset(error, masked))
        if found is None:
            return None
        item, kept = found
        seen = _masked(masked, _complement([*kept, item], len(masked)))
        exact = _error(seen, [(0, len(seen))])  # the item's own error, where every offset is the statement's
        errors.append(Problem(exact or error, seen, len(masked[: item[1]].rstrip())))
        blanks.append(item)
        masked = _masked(masked, [item])
        error = None
    words = frozenset(w for a, b in blanks for w in _WORD.findall(text, a, b))
    return Recovered(tuple(c for c in tree.children if isinstance(c, Tree)), tuple(errors), words)


Range = tuple[int, int]


def _at_added(problem: Problem, found: list[braces.Repair]) -> bool:
    """Whether a parse error of the repaired text is at a brace the repair added (a wrong guess)."""
    if isinstance(problem.error, braces.Repair):
        return False
    offset, shift = _offset(problem.error, problem.text), 0
    for repair in sorted(found, key=lambda r: r.offset):
        start = repair.offset + shift
        if start <= offset < start + len(repair.inserted):
            return True
        shift += len(repair.inserted)
    return False


def _places(problem: Problem) -> tuple[int, ...]:
    """Offsets a problem's diagnostic points at: the error's, or an added brace's and its headers'."""
    if isinstance(problem.error, braces.Repair):
        return (problem.error.offset, *problem.error.headers)
    return (_offset(problem.error, problem.text),)


def _offset(error: UnexpectedInput, text: str) -> int:
    token = getattr(error, "token", None)
    if isinstance(token, Token) and token.type != "$END" and token.start_pos is not None:
        return token.start_pos
    position = getattr(error, "pos_in_stream", None)
    return position if isinstance(position, int) else len(text.rstrip())


def _culprit(text: str, offset: int) -> tuple[Range, list[Range]] | None:
    """The item to blame for a parse error at `offset`, with the ranges kept around it (the headers
    and closing braces of the blocks it is in), or None (the error is in a statement's header)."""
    candidates: list[tuple[Range, Range | None, list[Range]]] = []  # (item, the one before, kept)
    start, end, frame = 0, len(text), list[Range]()
    while True:
        braces = _braces(text, start, end)
        if braces is None or offset <= braces[0]:
            break
        opened, closed = braces
        kept = [*frame, (start, opened + 1), (closed, end)]
        items = block_items(text, opened + 1, closed)
        if offset > closed or len(items) > MAX_ITEMS:
            break
        at = max((i for i, (a, _) in enumerate(items) if a <= offset), default=-1)
        if at < 0:
            break
        candidates.append((items[at], items[at - 1] if at else None, kept))
        a, b = items[at]
        if offset >= b:
            break
        start, end, frame = a, b, kept
    for item, before, kept in reversed(candidates):  # innermost first
        if _error(text, [*kept, item]) is not None:
            return item, kept
        if before is not None and _error(text, [*kept, before]) is not None:
            return before, kept
    return None


def _error(text: str, kept: list[Range]) -> UnexpectedInput | None:
    """The parse error of the kept parts of `text` joined by single spaces (None: they parse)."""
    try:
        parser().parse(" ".join(text[a:b] for a, b in sorted(kept)))
    except UnexpectedInput as error:
        return error
    return None


def _complement(kept: list[Range], length: int) -> list[Range]:
    blanks, at = [], 0
    for a, b in sorted(kept):
        if a > at:
            blanks.append((at, a))
        at = max(at, b)
    if at < length:
        blanks.append((at, length))
    return blanks


def _masked(text: str, blanks: list[Range]) -> str:
    """`text` with the ranges replaced by spaces (line breaks kept): every offset stays the same."""
    parts, at = [], 0
    for a, b in sorted(blanks):
        if a < at:
            continue
        parts.append(text[at:a])
        parts.append(re.sub(r"[^\n]", " ", text[a:b]))
        at = b
    parts.append(text[at:])
    return "".join(parts)


def _braces(text: str, start: int, end: int) -> Range | None:
    """The first `{` at the statement's own level and the `}` that closes it (None: none, or unclosed)."""
    opened = -1
    for offset, char, depth in _brackets(text, start, end):
        if char == "{" and depth == 0 and opened < 0:
            opened = offset
        elif char == "}" and depth == 0 and opened >= 0:
            return opened, offset
    return None


def _brackets(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """(offset, bracket, depth outside it) of the brackets of text[start:end] that open or close
    something (see `scan.close`)."""
    found: list[tuple[int, str, int]] = []
    stack: list[str] = []
    for match in scan.tokens(text, start, end):
        if match.lastgroup != "other":
            continue
        char = match.group()
        if char in scan.OPENERS:
            found.append((match.start(), char, len(stack)))
            stack.append(char)
        elif char in scan.CLOSERS and scan.close(stack, char):
            found.append((match.start(), char, len(stack)))
    return found


def block_items(text: str, start: int, end: int) -> list[Range]:
    """The items of a block body text[start:end]: each starts with a statement keyword, a `key:`, or a
    word at the start of a line, at the body's own nesting level (comments and spaces between items
    belong to the item before)."""
    depth_at = {offset: depth for offset, _, depth in _brackets(text, start, end)}
    significant: list[tuple[str, str, int]] = []  # (kind, value, offset) at depth 0
    depth = 0
    for match in scan.tokens(text, start, end):
        kind, value = match.lastgroup or "", match.group()
        if kind in ("space", "comment"):
            continue
        if match.start() in depth_at:  # a counted bracket: the depth after it
            depth = depth_at[match.start()] + (1 if value in scan.OPENERS else 0)
            if value in scan.OPENERS and depth == 1:
                significant.append((kind, value, match.start()))
            continue
        if depth == 0:
            significant.append((kind, value, match.start()))
    starts = [start]
    for i, (kind, value, offset) in enumerate(significant):
        if kind != "word" or i == 0:
            continue
        before = significant[i - 1][1]
        after = significant[i + 1][1] if i + 1 < len(significant) else ""
        if before == ":":
            continue
        at_line_start = not text[text.rfind("\n", 0, offset) + 1 : offset].strip()
        if value in scan.STATEMENT_KEYWORDS or after == ":" or (at_line_start and before not in ("->", ".")):
            starts.append(offset)
    starts.append(end)
    return [(a, b) for a, b in itertools.pairwise(starts) if text[a:b].strip()]
