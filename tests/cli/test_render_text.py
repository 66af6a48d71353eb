"""The caret under a diagnostic's span: right where the terminal shows the source text."""

from __future__ import annotations

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.output.diagnostics import render_text


def excerpt(line: str, column: int, end_column: int) -> tuple[str, str]:
    d = Diagnostic("E201", "m", Span("m.tm", 1, column, 1, end_column))
    _, shown, caret = render_text(d, {"m.tm": line}).split("\n")[:3]
    return shown.split(" | ", 1)[1], caret.split(" | ", 1)[1]


def test_the_caret_is_under_the_span() -> None:
    assert excerpt("actor a { prot: 1 }", 11, 15) == ("actor a { prot: 1 }", "          ^^^^")


def test_a_tab_is_shown_as_one_space_so_the_caret_stays_aligned() -> None:
    assert excerpt("\tprot: 1", 2, 6) == (" prot: 1", " ^^^^")


def test_wide_characters_before_and_inside_the_span_count_two_columns() -> None:
    # an id in CJK letters (E002) after a label with an emoji
    line = 'actor a "🚀 rocket" 日本'
    shown, caret = excerpt(line, line.index("日") + 1, line.index("日") + 3)
    assert shown == line
    assert caret == " " * (len('actor a "') + 2 + len(' rocket" ')) + "^^^^"


def test_a_long_line_is_shown_in_a_window_around_the_column() -> None:
    line = "x" * 500 + "BAD" + "y" * 500
    shown, caret = excerpt(line, 501, 504)
    assert shown.startswith("…") and len(shown) == 201
    assert shown[len(caret) - 3 : len(caret)] == "BAD" and caret.endswith(" ^^^")
