"""Incremental parsing for editors: the text kept as a list of top-level statement chunks.

`parse()` cuts a broken file into statements (`scan.statement_chunks`) and parses each alone. This
module keeps that cut for the whole life of an open document: an edit re-scans a small window
around the change (widened until the chunk boundaries agree with the old ones again), re-parses only
the chunks whose text changed, and reuses every other chunk's tree. Chunks after the edit keep their
trees; their `start` and `line` move eagerly (two integer updates each), the positions inside their
trees lazily, when `statements()` is asked for.

An untouched chunk only ever moves by whole lines: a chunk that starts on a line the edit touches
is re-scanned, so its column never changes behind its back.

A caller may pass a `read` function (the language server passes `tmdiag.reader.read`): a chunk it
accepts is well-formed, so its trees are parsed only when `statements()` is first asked for, and
what `read` returned is kept for the caller (`Chunk.take_read`). Opening a big file then costs
the fast read, not Lark.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.syntax import scan
from tmdiag.syntax.explain import explain
from tmdiag.syntax.grammar import parser
from tmdiag.syntax.parse import _WORD, MAX_SYNTAX_ERRORS, Comment, _scan_comments_and_depth, _shift
from tmdiag.syntax.recover import Problem, recover

_uids = itertools.count(1)
# text → (what the caller keeps, the chunk's comments at line 1, column 1), or None: parse it with Lark
Read = Callable[[str], "tuple[object, tuple[Comment, ...]] | None"]
LEFT_MARGIN = 2  # chunks re-scanned before the edit: a chunk start looks at most 3 tokens ahead


@dataclass(eq=False)
class Chunk:
    """One top-level statement (or the comments and blank lines before the first one)."""

    start: int  # offset in the current text
    line: int  # 1-based line of `start` in the current text
    column: int  # 1-based column of `start`
    text: str
    path: str
    uid: int = field(default_factory=lambda: next(_uids))
    _trees: tuple[Tree[Token], ...] = ()
    _trees_at: tuple[int, int] = (0, 1)  # (start, line) the trees' positions are valid for
    _local_diagnostics: tuple[Diagnostic, ...] = ()  # positions relative to the chunk (line 1, column 1)
    _local_comments: tuple[Comment, ...] = ()
    _placed: dict[str, object] = field(default_factory=dict)
    # parse errors, each with the text it was found in (the chunk's, or with broken items blanked out:
    # see `tmdiag.syntax.recover`), explained again wherever the chunk moves
    _errors: tuple[Problem, ...] = ()
    _unparsed: frozenset[str] = frozenset()
    _lazy: bool = False  # well-formed (accepted by `read`): trees not parsed yet
    _read: object = None  # what `read` returned, until taken

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def end_line(self) -> int:
        return self.line + self.text.count("\n")

    @property
    def ok(self) -> bool:
        return not self._local_diagnostics

    @property
    def unparsed_names(self) -> frozenset[str]:
        """Identifiers written in the chunk when it does not parse (as `ParseResult.unparsed_names`)."""
        return self._unparsed

    def statements(self) -> tuple[Tree[Token], ...]:
        """The chunk's statement trees, positioned in the current text."""
        if self._lazy:
            self._lazy = False
            self._trees = tuple(c for c in parser().parse(self.text).children if isinstance(c, Tree))
            for statement in self._trees:
                _shift(statement, self.start, self.line, self.column)
            self._trees_at = (self.start, self.line)
        start, line = self._trees_at
        if (start, line) != (self.start, self.line):
            for tree in self._trees:
                _move(tree, self.start - start, self.line - line)
            self._trees_at = (self.start, self.line)
        return self._trees

    @property
    def parsed(self) -> bool:
        """Its trees exist (or it has none); False for a chunk `read` accepted, until `statements()`."""
        return not self._lazy

    def take_read(self) -> object:
        """What `read` returned for this chunk (positions at line 1, column 1), once; else None."""
        found, self._read = self._read, None
        return found

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        if not self._errors:
            return self._placed_tuple("diagnostics", self._local_diagnostics, _place_diagnostic)  # type: ignore[return-value]
        key = (self.line, self.column)
        cached = self._placed.get("diagnostics")
        if isinstance(cached, tuple) and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        placed = tuple(_explain(p, key, self.path) for p in self._errors)  # messages name lines ("… on line 4")
        self._placed["diagnostics"] = (key, placed)
        return placed

    def comments(self) -> tuple[Comment, ...]:
        return self._placed_tuple("comments", self._local_comments, _place_comment)  # type: ignore[return-value]

    def _placed_tuple(self, name: str, local: tuple[object, ...], place: object) -> tuple[object, ...]:
        if not local:
            return ()
        key = (self.line, self.column)
        cached = self._placed.get(name)
        if isinstance(cached, tuple) and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        placed = tuple(place(item, self.line, self.column) for item in local)  # type: ignore[operator]
        self._placed[name] = (key, placed)
        return placed


def parse_chunk(text: str, start: int, line: int, column: int, path: str, read: Read | None = None) -> Chunk:
    """Parse one chunk of text that stands at (`line`, `column`) of the file."""
    chunk = Chunk(start, line, column, text, path)
    found = read(text) if read is not None else None
    if found is not None:
        chunk._read, chunk._local_comments = found
        chunk._lazy, chunk._trees_at = True, (start, line)
        return chunk
    index = scan.LineIndex(text)
    nul = text.find("\x00")
    if nul != -1:
        problem = Diagnostic("E004", "this is not a text file: it contains NUL bytes",
                             Span.point(path, *index.position(nul)), hint="a .tm file is plain UTF-8 text")  # fmt: skip
        chunk._local_diagnostics = (problem,)
        return chunk
    comments, too_deep = _scan_comments_and_depth(text, path, index)
    chunk._local_comments = comments
    if too_deep is not None:
        chunk._local_diagnostics = (too_deep,)
        return chunk
    try:
        statements = tuple(c for c in parser().parse(text).children if isinstance(c, Tree))
    except UnexpectedInput as error:
        recovered = recover(text, MAX_SYNTAX_ERRORS, error)
        if recovered is None:
            chunk._errors, chunk._unparsed = (Problem(error, text),), frozenset(_WORD.findall(text))
        else:
            chunk._errors, chunk._unparsed = recovered.errors, recovered.unparsed_names
        chunk._local_diagnostics = tuple(_explain(p, (1, 1), path) for p in chunk._errors)
        if recovered is None:
            return chunk
        statements = recovered.trees
    for statement in statements:
        _shift(statement, start, line, column)
    chunk._trees, chunk._trees_at = statements, (start, line)
    return chunk


def _explain(problem: Problem, at: tuple[int, int], path: str) -> Diagnostic:
    """A chunk's parse error in words, for a chunk that stands at (line, column) `at` of the file."""
    text = problem.text
    return explain(problem.error, text, 0, len(text), scan.PlacedIndex(text, *at), path, problem.item_end)


@dataclass(frozen=True)
class ChunkEdit:
    """What an edit did to the chunk list: `chunks[index:index + len(added)]` replaced `removed`;
    every chunk from `index + len(added)` on moved by `line_delta` lines."""

    index: int
    removed: tuple[Chunk, ...]
    added: tuple[Chunk, ...]
    line_delta: int
    rescanned: int  # characters re-scanned to find the boundaries (for benchmarks)


class IncrementalParse:
    """A document's text and its chunks, updated edit by edit."""

    def __init__(self, text: str, path: str, read: Read | None = None):
        self.path = path
        self.text = text
        self.read = read
        self.chunks: list[Chunk] = _parse_ranges(text, _cover(text, 0, len(text)), 0, 1, path, read)

    # ---- queries ------------------------------------------------------------------------
    def statements(self) -> tuple[Tree[Token], ...]:
        return tuple(s for chunk in self.chunks for s in chunk.statements())

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for chunk in self.chunks if chunk._local_diagnostics for d in chunk.diagnostics())

    def comments(self) -> tuple[Comment, ...]:
        return tuple(c for chunk in self.chunks if chunk._local_comments for c in chunk.comments())

    def chunk_index_at(self, offset: int) -> int:
        """Index of the chunk holding `offset` (the last one for the end of the text); -1 if none."""
        lo, hi = 0, len(self.chunks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.chunks[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1 if lo else (0 if self.chunks else -1)

    # ---- edits --------------------------------------------------------------------------
    def edit(self, start: int, end: int, new_text: str) -> ChunkEdit:
        """Replace `text[start:end]` by `new_text` and bring the chunks up to date."""
        old = self.text
        text = old[:start] + new_text + old[end:]
        delta = len(new_text) - (end - start)
        line_delta = new_text.count("\n") - old.count("\n", start, end)
        self.text = text
        if not self.chunks:
            return self._replace_all(line_delta)
        # Re-scan from the start of the first touched line to the end of the last one, plus margins.
        first_line_start = old.rfind("\n", 0, start) + 1
        last_line_end = old.find("\n", end)
        last_line_end = len(old) if last_line_end < 0 else last_line_end
        first = max(0, self.chunk_index_at(first_line_start) - LEFT_MARGIN)
        last = self.chunk_index_at(last_line_end) + 1
        rescanned = 0
        while True:
            last = min(last, len(self.chunks) - 1)
            window_start = self.chunks[first].start
            window_end = self.chunks[last].end + delta  # in the new text
            ranges = _cover(text, window_start, window_end)
            rescanned += window_end - window_start
            anchor = self.chunks[last].start + delta  # the old boundary that must still be one
            at_end = last == len(self.chunks) - 1
            if at_end or (self.chunks[last].start > last_line_end and any(a == anchor for a, _ in ranges)):
                break
            last += max(2, last - first)  # not in sync yet: widen the window
        return self._splice(first, last, ranges, (delta, line_delta, end), rescanned)

    def _replace_all(self, line_delta: int) -> ChunkEdit:
        removed = tuple(self.chunks)
        self.chunks = _parse_ranges(self.text, _cover(self.text, 0, len(self.text)), 0, 1, self.path, self.read)
        return ChunkEdit(0, removed, tuple(self.chunks), line_delta, len(self.text))

    def _splice(
        self, first: int, last: int, ranges: list[tuple[int, int]], shift: tuple[int, int, int], rescanned: int
    ) -> ChunkEdit:
        delta, line_delta, edit_end = shift  # edit_end: where the edit ended in the old text
        old_chunks = self.chunks[first : last + 1]
        text = self.text
        # Chunks whose text did not change keep their trees: match a common prefix and suffix.
        prefix = 0
        while (
            prefix < min(len(old_chunks), len(ranges))
            and old_chunks[prefix].start == ranges[prefix][0]
            and old_chunks[prefix].text == text[ranges[prefix][0] : ranges[prefix][1]]
        ):
            prefix += 1
        suffix = 0
        while (
            suffix < min(len(old_chunks), len(ranges)) - prefix
            and old_chunks[-1 - suffix].start >= edit_end
            and old_chunks[-1 - suffix].start + delta == ranges[-1 - suffix][0]
            and old_chunks[-1 - suffix].text == text[ranges[-1 - suffix][0] : ranges[-1 - suffix][1]]
            and not _moved_sideways(old_chunks[-1 - suffix], delta, text)
        ):
            suffix += 1
        if prefix and not old_chunks[prefix - 1].ok:  # it may join the first changed statement
            prefix -= 1
        while True:
            middle = ranges[prefix : len(ranges) - suffix]
            known = old_chunks[prefix] if prefix < len(old_chunks) else None  # starts before the edit
            if known is not None and middle and known.start <= middle[0][0]:
                added = _parse_ranges(text, middle, known.start, known.line, self.path, self.read)
            else:
                added = _parse_ranges(text, middle, 0, 1, self.path, self.read)
            if not suffix or not added or added[-1].ok:
                break
            suffix -= 1  # the last changed statement is broken: it may join the next one
        removed = tuple(old_chunks[prefix : len(old_chunks) - suffix])
        index = first + prefix
        self.chunks[index : index + len(removed)] = added
        for chunk in itertools.islice(self.chunks, index + len(added), None):
            chunk.start += delta
            chunk.line += line_delta
        return ChunkEdit(index, removed, tuple(added), line_delta, rescanned)


def _moved_sideways(chunk: Chunk, delta: int, text: str) -> bool:
    """A kept chunk must still start at its old column (it moves by whole lines only)."""
    new_start = chunk.start + delta
    return new_start - (text.rfind("\n", 0, new_start) + 1) + 1 != chunk.column


def _cover(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Statement chunks of `text[start:end]`, as absolute ranges that cover it without gaps."""
    window = text[start:end]
    ranges = [(start + a, start + b) for a, b in scan.statement_chunks(window)]
    if not ranges:
        return [(start, end)] if end > start else []
    if ranges[0][0] > start:
        ranges.insert(0, (start, ranges[0][0]))
    return ranges


def _parse_ranges(
    text: str, ranges: list[tuple[int, int]], offset: int, line: int, path: str, read: Read | None = None
) -> list[Chunk]:
    """Parse consecutive ranges; `line` is the line of `offset`, which is at or before the first range.

    The statement scan cuts at every statement keyword, also at one misused as an id
    (`actor data "Data"`): a chunk that does not parse alone but does together with the next one is
    one statement, as the whole-file parse would see it.
    """
    chunks: list[Chunk] = []
    pending = list(reversed(ranges))
    while pending:
        a, b = pending.pop()
        line += text.count("\n", offset, a)
        offset = a
        column = a - (text.rfind("\n", 0, a) + 1) + 1
        chunk = parse_chunk(text[a:b], a, line, column, path, read)
        if not chunk.ok and pending and pending[-1][0] == b:
            joined = parse_chunk(text[a : pending[-1][1]], a, line, column, path, read)
            if joined.ok:
                pending.pop()
                chunk = joined
        chunks.append(chunk)
    return chunks


def _move(tree: Tree[Token], offset: int, lines: int) -> None:
    """Move a tree by whole lines (its columns stay)."""
    for subtree in tree.iter_subtrees():
        meta = subtree.meta
        if not meta.empty:
            meta.line += lines
            meta.end_line += lines
            meta.start_pos += offset
            meta.end_pos += offset
        for child in subtree.children:
            if isinstance(child, Token) and child.line is not None:
                child.line += lines
                child.end_line = (child.end_line or child.line) + lines
                child.start_pos = (child.start_pos or 0) + offset
                child.end_pos = (child.end_pos or 0) + offset


def _place_span(span: Span, line: int, column: int) -> Span:
    start_column = span.column + column - 1 if span.line == 1 else span.column
    end_column = span.end_column + column - 1 if span.end_line == 1 else span.end_column
    return Span(span.path, span.line + line - 1, start_column, span.end_line + line - 1, end_column)


def _place_diagnostic(d: Diagnostic, line: int, column: int) -> Diagnostic:
    return Diagnostic(
        d.code, d.message, _place_span(d.span, line, column), d.severity, d.hint,
        tuple((note, _place_span(where, line, column)) for note, where in d.related),
    )  # fmt: skip


def _place_comment(c: Comment, line: int, column: int) -> Comment:
    return Comment(c.text, _place_span(c.span, line, column))
