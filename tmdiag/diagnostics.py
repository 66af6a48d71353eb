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

    @staticmethod
    def resource(name: str) -> Span:
        """Not a place in a file but a named thing elsewhere (a cloud resource's ARN): line 0."""
        return Span(name, 0, 0, 0, 0)

    @property
    def in_file(self) -> bool:
        return self.line > 0


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
class Fix:
    """A suggested edit: write `replacement` over `span` (the diagnostic's own span when None)."""

    replacement: str
    span: Span | None = None
    label: str | None = None  # what the quick fix is called; default "Change to `replacement`"

    @property
    def title(self) -> str:
        return self.label or f"Change to `{self.replacement}`"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    hint: str | None = None  # e.g. "did you mean `database`?"
    related: tuple[tuple[str, Span], ...] = field(default=())  # (note, where)
    fix: Fix | None = None  # an edit that resolves it (editors offer it as a quick fix)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.code)


class TmdiagError(Exception):
    """The base of tmdiag's own exceptions: catch this to handle any of them."""


class TmError(TmdiagError):
    """Raised by the Python API when a model has errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        where = f"{first.span.path}:{first.span.line}:{first.span.column}: " if first else ""
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(f"{where}{first.message if first else 'invalid model'}{more}")


def suggestion(word: str, candidates: object) -> Fix | None:
    """The fix for a misspelt word (the candidate it most likely means), or None."""
    match = closest(word, candidates)
    return Fix(match) if match is not None else None


def hint_for(fix: Fix | None) -> str | None:
    """The words of a suggested fix: "did you mean `x`?"."""
    return f"did you mean `{fix.replacement}`?" if fix is not None else None


def did_you_mean(word: str, candidates: object) -> str | None:
    """A "did you mean `x`?" hint for a misspelt word, or None."""
    return hint_for(suggestion(word, candidates))


_MAX_FUZZY = 100


def closest(word: str, candidates: object) -> str | None:
    """The candidate `word` is most likely a misspelling of, or None."""
    import difflib

    pool = [str(c) for c in candidates]  # type: ignore[attr-defined]
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    if len(word) > _MAX_FUZZY:  # difflib is quadratic in the length; nobody misspells 100 characters
        return None
    pool = [c for c in pool if len(c) <= _MAX_FUZZY]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.7)
    if not close and len(word) >= 3:  # short words: one swapped, dropped or doubled letter (`wbe` → `web`)
        close = [c for c in pool if _one_edit(word.lower(), c.lower())][:1]
    if not close and len(word) >= 3:  # spelt as it sounds: `foto` → `photo`, `cach` → `cache`
        sound = _sounds(word)
        close = [c for c in pool if _sounds(c) == sound or _one_edit(sound, _sounds(c))][:1]
    return close[0] if close else None


_SOUNDS = (("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"), ("y", "i"), ("w", "v"))


def _sounds(word: str) -> str:
    """A word as it sounds, roughly (English spelling): digraphs folded, doubled letters single."""
    folded = word.lower().replace("_", "").replace("-", "")
    for spelt, sound in _SOUNDS:
        folded = folded.replace(spelt, sound)
    return "".join(c for i, c in enumerate(folded) if i == 0 or c != folded[i - 1])


def _one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by swapping two neighbours, or deleting, inserting or changing one letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])  # fmt: skip
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def a_or_an(noun: str) -> str:
    """`an actor`, `a process`: the noun with its indefinite article."""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"
