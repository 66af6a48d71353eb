"""Comparing what two texts mean: the typed model parts they build, with source spans stripped,
and which statements each inline suppression covers (it covers the statements with code on its
line: a layout that moves code off that line, or the comment off it, changes what it silences)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, NamedTuple

from tmdiag.diagnostics import Span
from tmdiag.lint.suppress import StatementKey, Statements, parse_file, statements_of
from tmdiag.model.build import FileParts, build
from tmdiag.model.nodes import Flow, Node
from tmdiag.syntax import ParseResult


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def without_spans(value: Any) -> Any:
    """A comparable form of a model value: spans dropped, types kept (`Name("x")` is not `"x"`)."""
    cls = type(value)
    if cls is tuple or cls is list:
        return tuple(without_spans(v) for v in value)
    if value is None or cls is Span:
        return None
    if dataclasses.is_dataclass(cls):
        fields = []
        for name in _field_names(cls):
            item = getattr(value, name)
            if type(item) is not Span:
                fields.append((name, without_spans(item)))
        return (cls.__name__, tuple(fields))
    if cls is dict:
        return tuple(sorted((k, without_spans(v)) for k, v in value.items()))
    return (cls.__name__, value)


def meaning(result: ParseResult, parts: FileParts | None = None) -> Any:
    """Everything a file says, without where it says it: model parts, build problems, comments."""
    parts = parts if parts is not None else build(result.path, result.statements)
    problems = tuple((d.code, d.message) for d in parts.diagnostics)
    comments = tuple(c.text.rstrip() for c in result.comments)
    fields = [f.name for f in dataclasses.fields(parts) if f.name not in ("path", "diagnostics")]
    return tuple((name, without_spans(getattr(parts, name))) for name in fields), problems, comments


class Covered(NamedTuple):
    """One suppression comment and the statements it covers (by place in the model, not by line)."""

    line: int  # of the comment (not compared)
    codes: tuple[str, ...]
    statements: frozenset[StatementKey]
    names: tuple[str, ...]  # of the statements, for messages (not compared)


def suppression_targets(result: ParseResult, parts: FileParts) -> tuple[Covered, ...]:
    """What each suppression of a file covers: the statements with code on its target line."""
    suppressions, _ = parse_file(result.text, result.comments)
    if not suppressions:
        return ()
    statements = Statements(parts, {result.path: [s.target_line for s in suppressions]})
    names: dict[StatementKey, str] = {}
    for node, key in statements_of(parts):
        names.setdefault(key, _name(node))  # a reply comes after its request
    imports: dict[int, set[StatementKey]] = {}
    for index, (_, span) in enumerate(parts.imports):
        imports.setdefault(span.line, set()).add(("imports", index))
        names["imports", index] = "an import"
    covered = []
    for s in suppressions:
        keys = frozenset(statements.on_line(result.path, s.target_line) | imports.get(s.target_line, set()))
        covered.append(Covered(s.span.line, s.codes, keys, tuple(names[k] for k in sorted(keys))))
    return tuple(covered)


def _name(node: Node) -> str:
    if isinstance(node, Flow) and not node.id:
        return f"`{node.source} -> {node.sink}`"
    return f"`{node.id}`" if node.id else f"the {node.kind}"


def moved_suppression(before: tuple[Covered, ...], after: tuple[Covered, ...]) -> tuple[str, bool] | None:
    """The first suppression that would cover other statements after formatting, in words, and whether
    that is a bug of the formatter (else its line held several statements, which fmt splits); None if none."""
    for old, new in zip(before, after, strict=False):
        if (old.codes, old.statements) == (new.codes, new.statements):
            continue
        codes = ", ".join(old.codes)
        now = ", ".join(new.names) or "nothing"
        if len(old.statements) > 1 and new.statements < old.statements:
            return (
                f"line {old.line} holds several statements ({', '.join(old.names)}) and a suppression of "
                f"{codes}: formatted, each statement gets a line of its own and the suppression would cover "
                f"{now} only; put it on the line of the statement it is meant for, or alone on the line above it",
                False,
            )
        was = ", ".join(old.names) or "nothing"
        return f"the suppression of {codes} on line {old.line} covers {was}; formatted, it would cover {now}", True
    if len(before) != len(after):
        return "a suppression would be lost", True
    return None


def first_difference(a: Any, b: Any, where: str = "") -> str:
    """Where two `meaning()` values differ, for the internal-error message."""
    if type(a) is not type(b) or not isinstance(a, tuple) or len(a) != len(b):
        return f"{where or 'model'}: {str(a)[:120]} != {str(b)[:120]}"
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            label = x[0] if isinstance(x, tuple) and x and isinstance(x[0], str) else str(index)
            return first_difference(x, y, f"{where}/{label}")
    return where or "model"
