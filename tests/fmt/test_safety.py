"""Black-style safety: a result that means something else, or is not stable, is refused."""

from __future__ import annotations

import pytest

import tmdiag.fmt as fmt
from tmdiag.fmt import SyntaxProblems, UnsafeFormat, format_text
from tmdiag.fmt.equivalence import first_difference, meaning
from tmdiag.syntax import ParseResult, parse

SOURCE = 'data card "Card" { classification: secret }  # keep me\nprocess web "Web"\n'


def test_syntax_errors_are_refused_with_diagnostics() -> None:
    with pytest.raises(SyntaxProblems) as caught:
        format_text('data card "Card" { classification: secret\nprocess web "Web"\n')
    assert caught.value.diagnostics and caught.value.diagnostics[0].code.startswith("E0")


def test_bad_escape_is_a_syntax_problem() -> None:
    with pytest.raises(SyntaxProblems):
        format_text('data card "bad \\q escape"\n')


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("data a { x: 1 }", "data a { x: 1.0 }"),  # int is not float
        ('data a { x: "y" }', "data a { x: y }"),  # string is not name
        ("data a { x: 1, y: 2 }", "data a { y: 2, x: 1 }"),  # order of attributes
        ("rule r { when: a or (b or c) }", "rule r { when: a or b or c }"),  # grouping
        ("data a # one", "data a # two"),  # comments count
        ("data a\ndata b", "data b\ndata a"),  # order of statements
        ('a -> b "x"', 'b -> a "x"'),
    ],
)
def test_meaning_tells_apart(a: str, b: str) -> None:
    first, second = meaning(parse(a)), meaning(parse(b))
    assert first != second
    assert first_difference(first, second)


def test_meaning_ignores_layout() -> None:
    assert meaning(parse("data a{x:1,y:[p,q,]}")) == meaning(parse("data a {\n  x: 1\n  y: [p, q]\n}\n"))


def _broken_layout(change: str):  # type: ignore[no-untyped-def]
    real = fmt.layout
    calls: list[int] = []

    def layout(result: ParseResult) -> str:
        text = real(result)
        calls.append(1)
        if change == "meaning":
            return text.replace("secret", "public")
        if change == "comment":
            return text.replace("# keep me", "")
        if change == "unstable":  # each run adds one more blank line: same model, never settles
            return "\n" * len(calls) + text
        return text.replace("{", "{{")  # does not parse

    return layout


@pytest.mark.parametrize("change", ["meaning", "comment", "unstable", "syntax"])
def test_a_formatter_bug_is_refused(change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "layout", _broken_layout(change))
    with pytest.raises(UnsafeFormat) as caught:
        format_text(SOURCE)
    expected = {"meaning": "means something else", "comment": "means something else", "unstable": "not stable",
                "syntax": "does not parse"}  # fmt: skip
    assert expected[change] in str(caught.value)


def test_unchanged_text_needs_no_second_parse() -> None:
    formatted = format_text(SOURCE)
    assert format_text(formatted) == formatted


def test_attributes_sharing_a_line_in_a_multi_line_block_wrap_at_the_width() -> None:
    from tmdiag.fmt import format_text
    from tmdiag.fmt.layout import WIDTH

    shared = f'description: "{"x" * 40}", environment: "{"y" * 40}", os: "{"z" * 30}"'
    source = f'process web "Web" {{\n  {shared}\n  port: 443\n}}\n'
    assert len(shared) + 2 > WIDTH
    formatted = format_text(source)
    lines = formatted.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert lines[1].startswith("  description: ") and ", environment: " in lines[1]  # together while they fit
    assert lines[2] == f'  os: "{"z" * 30}"' and lines[3] == "  port: 443"
    assert format_text(formatted) == formatted  # and formatting again changes nothing
