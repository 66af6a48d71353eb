"""`tmdiag fmt`: the canonical layout of `.tm` files, with black-style safety checks.

`format_text(text)` returns the formatted text, or raises `SyntaxProblems` (the file does not
parse: nothing is formatted) or `UnsafeFormat` (an internal error: the result would mean
something else, or would change again when formatted; the file must be left as it is).
"""

from __future__ import annotations

from tmdiag.diagnostics import Diagnostic, TmdiagError
from tmdiag.fmt.assemble import pinned_lines, place_comments, render, settle_blank_lines
from tmdiag.fmt.equivalence import first_difference, meaning, moved_suppression, suppression_targets
from tmdiag.fmt.layout import Printer
from tmdiag.memory import gc_paused
from tmdiag.model.build import FileParts, build
from tmdiag.syntax import ParseResult, parse

__all__ = ["SyntaxProblems", "UnsafeFormat", "format_text", "layout"]


class SyntaxProblems(TmdiagError):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} syntax error(s)")


class UnsafeFormat(TmdiagError):
    """The formatter would change the model or is not stable on this file: a bug in tmdiag (`bug`),
    or a file it cannot lay out without changing what a suppression covers (the message says why)."""

    def __init__(self, message: str, *, bug: bool = True):
        super().__init__(message)
        self.bug = bug


def _parse(text: str, path: str) -> tuple[ParseResult, FileParts]:
    result = parse(text, path)
    if result.diagnostics:
        raise SyntaxProblems(list(result.diagnostics))
    parts = build(path, result.statements)
    problems = [d for d in parts.diagnostics if d.code.startswith("E0")]  # bad escapes and the like
    if problems:
        raise SyntaxProblems(problems)
    return result, parts


def layout(result: ParseResult) -> str:
    """The canonical text of a parsed file (no safety checks)."""
    printer = Printer(result.text, pinned_lines(result.text, result.comments))
    try:
        printer.statements(result.statements)
    except RecursionError:
        raise UnsafeFormat("the file is nested too deeply to format") from None
    lines = place_comments(printer.lines, result.comments, result.text, printer.blank_before)
    settle_blank_lines(lines)
    return render(lines)


def format_text(text: str, path: str = "<string>", *, verify: bool = True) -> str:
    """Format `.tm` text. With `verify`, also prove the result means the same and is stable."""
    with gc_paused():
        return _format(text, path, verify)


def _format(text: str, path: str, verify: bool) -> str:
    text = text.removeprefix("\ufeff")
    original, original_parts = _parse(text, path)
    formatted = layout(original)
    if not verify or formatted == text:
        return formatted
    try:
        again, again_parts = _parse(formatted, path)
    except SyntaxProblems as error:
        first = error.diagnostics[0]
        raise UnsafeFormat(f"the formatted text does not parse ({first.code} at line {first.span.line}: "
                           f"{first.message})") from None  # fmt: skip
    before, after = meaning(original, original_parts), meaning(again, again_parts)
    if before != after:
        raise UnsafeFormat(f"the formatted text means something else ({first_difference(before, after)})")
    moved = moved_suppression(suppression_targets(original, original_parts), suppression_targets(again, again_parts))
    if moved:
        raise UnsafeFormat(moved[0], bug=moved[1])
    if layout(again) != formatted:
        raise UnsafeFormat("formatting is not stable on this file (a second run changes it again)")
    return formatted
