"""A drafted model is formatted (`tmdiag fmt`) and loaded with validation before it is written:
what does not load clean is reported with positions in the draft."""

from __future__ import annotations

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.fmt import SyntaxProblems, UnsafeFormat, format_text
from tmdiag.loader import load_text
from tmdiag.semantics import check
from tmdiag.syntax import parse


def checked(text: str, path: str) -> tuple[str | None, list[Diagnostic]]:
    """The draft formatted, and its errors when loaded (imports resolve from the current folder)."""
    try:
        formatted = format_text(text, path)
    except (SyntaxProblems, UnsafeFormat) as problem:
        found = getattr(problem, "diagnostics", None) or []
        first = f": {found[0].code} {found[0].message}" if found else f": {problem}"
        return None, [Diagnostic("E601", f"internal error: the draft does not parse{first}", Span.point(path, 1, 1),
                                 hint="please report it with the input document")]  # fmt: skip
    model, diagnostics = load_text(formatted, path)
    problems = [d for d in diagnostics if d.severity >= Severity.ERROR]
    if not problems:
        problems = [d for d in check(model).diagnostics if d.severity >= Severity.ERROR]
    return formatted, problems


def one_rule(text: str) -> bool:
    """Is the text exactly one `rule` statement that parses?"""
    result = parse(text, "<rule>")
    return not result.diagnostics and len(result.statements) == 1 and result.statements[0].data == "rule_decl"
