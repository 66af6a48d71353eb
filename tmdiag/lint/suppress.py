"""Inline suppressions: `# tmdiag: ignore[TM203] reason: internal link, mTLS at the mesh`.

A trailing comment covers its own line; a comment alone on its line covers the next line that is
not a comment. What a suppression silences is the findings of its rules about the statements that
have code on the line it covers, wherever in the statement they are reported (the statement's first
line, an attribute, a list item; a flow's replies belong to its statement, a boundary's nested
statements do not), and any finding reported on that line. So it keeps applying when `tmdiag fmt`
opens a long one-line block and moves the attributes to lines of their own (`Statements`).

A suppression needs a reason (TM901), must suppress something (TM902) and must
name known rules (TM903). These three are reported here (they are declared with the other rules in
`tmdiag.lint.rules.suppressions`) and cannot be suppressed.

A suppression without a reason (none, or no word after `reason:`) suppresses nothing, whatever
rules are selected: switching TM901 off (`select = ["TM1", "TM2"]`) must not turn it into a silent one.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from tmdiag.diagnostics import Diagnostic, Fix, Severity, Span
from tmdiag.lint.registry import get
from tmdiag.model.nodes import GROUPS, Flow, Model, Node

_PATTERN = re.compile(r"#\s*tmdiag\s*:\s*ignore\b(?P<codes>\[[^\]]*\]?)?\s*(?P<rest>.*)$", re.IGNORECASE)
_REASON = re.compile(r"reason\s*:\s*(?P<reason>.*)$", re.IGNORECASE)
META = ("TM901", "TM902", "TM903")
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Suppression:
    codes: tuple[str, ...]
    reason: str
    span: Span  # the comment
    target_line: int

    @property
    def valid(self) -> bool:
        """It gives a reason (a word after `reason:`): only then does it suppress anything."""
        return _WORD.search(self.reason) is not None


def _target_line(text: str, span: Span) -> int:
    lines = text.splitlines()
    before = lines[span.line - 1][: span.column - 1] if 0 < span.line <= len(lines) else ""
    if before.strip():
        return span.line  # trailing comment
    line = span.line + 1
    while line <= len(lines) and lines[line - 1].lstrip().startswith("#"):
        line += 1
    return line


class _Comment(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def span(self) -> Span: ...


def parse(model: Model) -> tuple[list[Suppression], list[Diagnostic]]:
    """Suppressions in every file of the model, and TM903 for malformed ones."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for path, comments in model.comments.items():
        in_file, malformed = parse_file(model.sources.get(path, ""), comments)
        found.extend(in_file)
        problems.extend(malformed)
    return found, problems


def parse_file(text: str, comments: Sequence[_Comment]) -> tuple[list[Suppression], list[Diagnostic]]:
    """The suppressions among one file's comments, and TM903 for malformed ones."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for comment in comments:
        match = _PATTERN.match(comment.text)
        if match is None:
            continue
        span = comment.span
        raw_codes = match.group("codes")
        if not raw_codes or not raw_codes.endswith("]"):
            problems.append(
                _meta(
                    "TM903",
                    "a suppression must name the rules it silences",
                    span,
                    "write `# tmdiag: ignore[TM203] reason: why`",
                )
            )
            continue
        codes = tuple(c.strip().upper() for c in raw_codes[1:-1].split(",") if c.strip())
        unknown = [c for c in codes if get(c) is None or c in META]
        if unknown or not codes:
            problems.append(
                _meta(
                    "TM903",
                    f"unknown rule code `{', '.join(unknown) or '(none)'}` in suppression",
                    span,
                    "see `tmdiag rules` for the codes",
                )
            )
            codes = tuple(c for c in codes if c not in unknown)
            if not codes:
                continue
        reason_match = _REASON.search(match.group("rest"))
        reason = reason_match.group("reason").strip() if reason_match else ""
        found.append(Suppression(codes, reason, span, _target_line(text, span)))
    return found, problems


def is_suppression(comment: str) -> bool:
    """Whether a comment is written as a suppression (well-formed or not)."""
    return _PATTERN.match(comment) is not None


# ---- what a statement holds ----------------------------------------------------------------


@functools.cache
def _span_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _spans(value: Any, key: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Span]]:
    cls = type(value)
    if cls is Span:
        yield key, value
    elif cls is tuple or cls is list:
        for index, item in enumerate(value):
            yield from _spans(item, (*key, index))
    elif dataclasses.is_dataclass(cls):
        for name in _span_fields(cls):
            yield from _spans(getattr(value, name), (*key, name))


def statement_spans(node: Node) -> Iterator[tuple[tuple[Any, ...], Span]]:
    """Every place a node holds, keyed by where it sits in the node (`("attributes", 2, "value_span")`):
    its id, attributes and their values and items, flow ends, conditions. The first is `("span",)`,
    the whole statement (for a boundary, nested statements included: they are nodes of their own)."""
    return _spans(node, ())


StatementKey = tuple[str, int]  # (group, index) of a statement's node, the request for a reply


def statements_of(holder: Any) -> Iterator[tuple[Node, StatementKey]]:
    """Every declaration of a `Model` or of a file's `FileParts` with the key of its statement. A
    flow's replies belong to its statement: their key is the request's."""
    info = holder.info
    for index, node in enumerate(info if isinstance(info, list) else [info] if info is not None else []):
        yield node, ("info", index)
    for group in GROUPS:
        request: StatementKey | None = None
        for index, node in enumerate(getattr(holder, group)):
            key = (group, index)
            if isinstance(node, Flow):
                if node.reply_to is None:
                    request = key
                elif request is not None:
                    key = request
            yield node, key


def _contains(outer: Span, inner: Span) -> bool:
    start = (inner.line, inner.column)
    return (outer.line, outer.column) <= start and (start < (outer.end_line, outer.end_column) or outer == inner)


class Statements:
    """Which statements have code on the given lines, and which of them holds a place.

    Only the statements spanning one of `lines` (path -> line numbers: where suppressions apply)
    are looked into: a model of thousands of statements with a few suppressions costs one pass."""

    def __init__(self, holder: Any, lines: Mapping[str, Iterable[int]]):
        wanted = {path: sorted(set(numbers)) for path, numbers in lines.items()}
        keys: set[StatementKey] = set()
        for node, key in statements_of(holder):
            numbers = wanted.get(node.span.path)
            if numbers is not None:
                at = bisect.bisect_left(numbers, node.span.line)
                if at < len(numbers) and numbers[at] <= node.span.end_line:
                    keys.add(key)  # it spans a wanted line: its code may be on it
        self.by_line: dict[tuple[str, int], list[tuple[Span, StatementKey]]] = {}
        for node, key in statements_of(holder) if keys else ():
            if key not in keys:
                continue
            path = node.span.path
            for field, span in statement_spans(node):
                if field == ("span",):  # the whole statement (a boundary's, nested ones included): its start
                    span = Span(path, span.line, span.column, span.line, span.column + 1)
                if span.path != path:
                    continue
                for line in range(span.line, span.end_line + 1):
                    self.by_line.setdefault((path, line), []).append((span, key))

    def on_line(self, path: str, line: int) -> set[StatementKey]:
        return {key for _, key in self.by_line.get((path, line), ())}

    def holding(self, span: Span) -> set[StatementKey]:
        return {key for held, key in self.by_line.get((span.path, span.line), ()) if _contains(held, span)}


def apply(model: Model, diagnostics: list[Diagnostic], enabled: Iterable[str]) -> list[Diagnostic]:
    """Drop suppressed findings; add TM901 (no reason), TM902 (suppresses nothing) and TM903 (malformed)."""
    suppressions, problems = parse(model)
    active = set(enabled)
    used: set[tuple[int, str]] = set()
    index: dict[tuple[str, int], list[tuple[int, Suppression]]] = {}
    covering: dict[StatementKey, list[tuple[int, Suppression]]] = {}
    lines: dict[str, list[int]] = {}
    for s in suppressions:
        lines.setdefault(s.span.path, []).append(s.target_line)
    statements = Statements(model, lines) if suppressions else None
    for number, s in enumerate(suppressions):
        index.setdefault((s.span.path, s.target_line), []).append((number, s))
        assert statements is not None
        for key in statements.on_line(s.span.path, s.target_line):
            covering.setdefault(key, []).append((number, s))
    kept: list[Diagnostic] = []
    for d in diagnostics:
        candidates = dict(index.get((d.span.path, d.span.line), []))
        if statements is not None:
            for key in statements.holding(d.span):
                candidates.update(covering.get(key, []))
        matches = [(n, s) for n, s in sorted(candidates.items()) if d.code in s.codes and s.valid]
        if matches and d.code not in META:
            used.update((n, d.code) for n, _ in matches)
        else:
            kept.append(d)
    for number, s in enumerate(suppressions):
        if not s.valid:
            problems.append(
                _meta(
                    "TM901",
                    f"suppression of {', '.join(s.codes)} gives no reason, so it suppresses nothing",
                    s.span,
                    "add `reason: <why this finding does not apply>`",
                )
            )
            continue  # it suppresses nothing because it has no reason: TM901 says so, not TM902
        for code in s.codes:
            if code in active and (number, code) not in used:
                unused = _meta(
                    "TM902",
                    f"suppression of {code} suppresses nothing on line {s.target_line}",
                    s.span,
                    "remove it, or move it to the line of the finding",
                )
                if len(s.codes) == 1:  # the whole comment goes (with several codes, which one is a choice)
                    unused = replace(unused, fix=Fix("", s.span, "Remove the suppression"))
                problems.append(unused)
    return kept + [p for p in problems if p.code in active]


def _meta(code: str, message: str, span: Span, hint: str) -> Diagnostic:
    rule = get(code)
    return Diagnostic(code, message, span, rule.severity if rule else Severity.WARNING, hint)
