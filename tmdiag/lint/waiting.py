"""Lint while the model has errors: the findings the errors cause wait until they are fixed.

A statement with an error is missing from the model, or half of it, and rules conclude from what
is missing: `rds` "has no flows" when the flow to it names `rsd`, `profile` "is never carried" when
that flow is dropped, a suppression "suppresses nothing" when the finding it was written for cannot
be computed. While the model has errors, a finding of a rule that concludes from absence waits
when its message names an id or word written on an error's line or named by an error (its message,
hint or fix: "did you mean `rds`?"); TM902 (unused suppressions) waits for every error. Findings of
what is written (`user -> app` crosses `aws` unencrypted) show as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from tmdiag.diagnostics import Diagnostic, Severity

WAITS_FOR_EVERY_ERROR = frozenset({"TM902"})
# Rules that conclude from something missing: no security lead, no scope, no flows, outside every
# boundary, no `trust:`, never carried, no classification.
FROM_ABSENCE = frozenset({"TM101", "TM102", "TM103", "TM105", "TM106", "TM208", "TM209", "TM210", "TM304", "TM305"})
_QUOTED = re.compile(r"`([^`\n]+)`")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')


def shown_while_broken(
    findings: Iterable[Diagnostic], diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]
) -> list[Diagnostic]:
    """The lint `findings` worth showing beside the model's `diagnostics` (all of them without errors)."""
    errors = [d for d in diagnostics if d.severity >= Severity.ERROR]
    findings = list(findings)
    if not errors:
        return findings
    touched = set()
    for error in errors:
        for text in (error.message, error.hint or "", error.fix.replacement if error.fix else ""):
            for quoted in _QUOTED.findall(text):
                touched.update(_WORD.findall(quoted))
        touched.update(_WORD.findall(_code_of(_line(sources, error.span.path, error.span.line))))
    return [
        f
        for f in findings
        if f.code not in WAITS_FOR_EVERY_ERROR and not (f.code in FROM_ABSENCE and _names(f) & touched)
    ]


def _names(finding: Diagnostic) -> set[str]:
    """The words of a finding's message ("the team has no business role" names `business` too)."""
    return set(_WORD.findall(finding.message))


def _line(sources: Mapping[str, str], path: str, number: int) -> str:
    text = sources.get(path, "")
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _code_of(line: str) -> str:
    """The line without its strings and comment."""
    return _STRING.sub(" ", line).split("#", 1)[0]
