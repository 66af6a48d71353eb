"""Inline suppressions: `# tmdiag: ignore[TM203] reason: internal link, mTLS at the mesh`.

A trailing comment covers its own line; a comment alone on its line covers the next line that is
not a comment. A suppression needs a reason (TM901), must suppress something (TM902) and must
name known rules (TM903). These three are reported here (they are declared with the other rules in
`tmdiag.lint.rules.suppressions`) and cannot be suppressed.

A suppression without a reason (none, or no word after `reason:`) suppresses nothing, whatever
rules are selected: switching TM901 off (`select = ["TM1", "TM2"]`) must not turn it into a silent one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.lint.registry import get
from tmdiag.model.nodes import Model

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


def parse(model: Model) -> tuple[list[Suppression], list[Diagnostic]]:
    """Suppressions in every file of the model, and TM903 for malformed ones."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for path, comments in model.comments.items():
        text = model.sources.get(path, "")
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


def apply(model: Model, diagnostics: list[Diagnostic], enabled: Iterable[str]) -> list[Diagnostic]:
    """Drop suppressed findings; add TM901 (no reason), TM902 (suppresses nothing) and TM903 (malformed)."""
    suppressions, problems = parse(model)
    active = set(enabled)
    used: set[tuple[int, str]] = set()
    index: dict[tuple[str, int], list[tuple[int, Suppression]]] = {}
    for number, s in enumerate(suppressions):
        index.setdefault((s.span.path, s.target_line), []).append((number, s))
    kept: list[Diagnostic] = []
    for d in diagnostics:
        matches = [(n, s) for n, s in index.get((d.span.path, d.span.line), []) if d.code in s.codes and s.valid]
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
                problems.append(
                    _meta(
                        "TM902",
                        f"suppression of {code} suppresses nothing on line {s.target_line}",
                        s.span,
                        "remove it, or move it to the line of the finding",
                    )
                )
    return kept + [p for p in problems if p.code in active]


def _meta(code: str, message: str, span: Span, hint: str) -> Diagnostic:
    rule = get(code)
    return Diagnostic(code, message, span, rule.severity if rule else Severity.WARNING, hint)
