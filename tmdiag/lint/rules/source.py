"""TM8xx: the source text itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from tmdiag.diagnostics import Span
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model.nodes import Model
from tmdiag.model.text import BIDI_CONTROLS

_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_MAX_PER_FILE = 20  # a file full of them says so twenty times, not thousands


@rule(
    "TM801",
    "bidi-control-character",
    severity="warning",
    summary="A string or comment holds a bidirectional control character (Trojan Source).",
    rationale="Bidirectional controls such as U+202E RIGHT-TO-LEFT OVERRIDE make text display in an order "
    'other than the one it is stored in (CVE-2021-42574, "Trojan Source"): a label can read as another '
    "name in a review, a comment can hide what follows it on the line, and a member named `Alice` + U+202E "
    "reverses the text around her name wherever it is shown. tmdiag isolates model text in its outputs, but "
    "editors, diffs and other tools that read the file may not.",
    fix="Remove the control character; write right-to-left text without controls (the Unicode bidi algorithm "
    "orders it), or suppress with a reason if a control is really needed.",
    example='team {\n  alice "Alice\u202e" security_lead\n}',
)
def bidi_control(model: Model, ctx: Context) -> Iterator[Hit]:
    for path, text in model.sources.items():
        if text.isascii():
            continue
        comments = [c.span for c in model.comments.get(path, ())]
        line, line_start = 1, 0
        for found, match in enumerate(_BIDI.finditer(text), 1):
            offset, char = match.start(), match.group()
            line += text.count("\n", line_start, offset)
            line_start = text.rfind("\n", 0, offset) + 1
            column = offset - line_start + 1
            where = "comment" if any(_inside(s, line, column) for s in comments) else "string"
            name = unicodedata.name(char, "bidirectional control")
            yield Hit(
                Span(path, line, column, line, column + 1),
                f"bidirectional control U+{ord(char):04X} ({name}) in a {where}: the text around it can display "
                "in an order other than it is read",
            )
            if found == _MAX_PER_FILE:
                break


def _inside(span: Span, line: int, column: int) -> bool:
    return span.line == line and span.column <= column < span.end_column
