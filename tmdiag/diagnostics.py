"""Diagnostics: what every stage reports, with a source span and a stable code."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a source file. Lines and columns are 1-based; the end is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(path: str, line: int, column: int) -> Span:
        return Span(path, line, column, line, column + 1)


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    hint: str | None = None  # e.g. "did you mean `database`?"
    related: tuple[tuple[str, Span], ...] = field(default=())  # (note, where)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)


class TmError(Exception):
    """Raised by the Python API when a model has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        where = f"{first.span.path}:{first.span.line}:{first.span.column}: " if first else ""
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(f"{where}{first.message if first else 'invalid model'}{more}")


def did_you_mean(word: str, candidates: object) -> str | None:
    """A "did you mean `x`?" hint for a misspelt word, or None."""
    import difflib

    pool = [str(c) for c in candidates]  # type: ignore[attr-defined]
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return f"did you mean `{lowered[word.lower()]}`?"
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.7)
    return f"did you mean `{close[0]}`?" if close else None
