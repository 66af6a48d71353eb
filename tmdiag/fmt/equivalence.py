"""Comparing what two texts mean: the typed model parts they build, with source spans stripped."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from tmdiag.diagnostics import Span
from tmdiag.model.build import FileParts, build
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


def first_difference(a: Any, b: Any, where: str = "") -> str:
    """Where two `meaning()` values differ, for the internal-error message."""
    if type(a) is not type(b) or not isinstance(a, tuple) or len(a) != len(b):
        return f"{where or 'model'}: {str(a)[:120]} != {str(b)[:120]}"
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            label = x[0] if isinstance(x, tuple) and x and isinstance(x[0], str) else str(index)
            return first_difference(x, y, f"{where}/{label}")
    return where or "model"
