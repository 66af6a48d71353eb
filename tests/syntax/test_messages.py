"""Syntax errors in human words: the hint names what the writer most likely meant."""

from __future__ import annotations

import pytest

from tmdiag.syntax import parse


def only(text: str) -> tuple[str, str, int, str | None]:
    (d,) = parse(text, "m.tm").diagnostics
    return d.code, d.message, d.span.column, d.hint


ATTRIBUTE_OUTSIDE = "attributes go inside a `{ … }` block; `name: a -> b` starts a named flow"
STATEMENT = "a statement starts with a keyword (`boundary`, `process`, …); a flow is `a -> b`"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an attribute written after a declaration without braces reads as a named flow `port: 1 -> …`
        ('actor a "A" port: 1', ("E001", "unexpected number `1`; expected an identifier", 19, ATTRIBUTE_OUTSIDE)),
        ("actor a port: web", ("E003", "unexpected end of the statement; expected `->`", 18, ATTRIBUTE_OUTSIDE)),
        # an unquoted label reads as the start of a flow
        ("actor a b", ("E003", "unexpected end of the statement; expected `->` or `:`", 10, STATEMENT)),
    ],
)
def test_words_outside_a_block_get_a_hint(text: str, expected: tuple[str, str, int, str | None]) -> None:
    assert only(text) == expected


def test_a_single_equals_sign_in_a_condition_suggests_double() -> None:
    code, _, column, hint = only("rule R { targets: [flow], when: encrypted = true }")
    assert (code, column, hint) == ("E002", 43, "compare with `==`")


def test_a_single_equals_sign_in_a_block_suggests_a_colon() -> None:
    code, _, column, hint = only("actor a { port = 1 }")
    assert (code, column, hint) == ("E002", 16, "attributes are written `key: value`")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("actor a 90d", "unexpected duration `90d`;"),
        ("actor a 2026-01-01", "unexpected date `2026-01-01`;"),
        ("rule R { targets: [flow], when: a\n x == 1 }", "unexpected comparison `==`;"),
        ("actor a 12", "unexpected number `12`;"),
    ],
)
def test_the_token_found_is_named_in_a_word(text: str, found: str) -> None:
    # not "unexpected duration like `90d` `90d`" or "unexpected date (YYYY-MM-DD) `2026-01-01`"
    assert only(text)[1].startswith(found)


# `os: Amazon Linux`: the second word reads as the next attribute's key, and the parser stopped at
# whatever followed it. Say that the value needs quotes, point at the value, and offer the quotes.
@pytest.mark.parametrize(
    ("text", "value", "column"),
    [
        ('server a "A" { os: Amazon Linux }', "Amazon Linux", 20),
        ('server a "A" {\n  os: Amazon Linux\n}', "Amazon Linux", 7),
        ('server a "A" { os: Amazon Linux 2, port: 22 }', "Amazon Linux 2", 20),
        ("process a\nprocess b\na -> b { note: hello world # why\n}", "hello world", 16),
        ('boundary prod {\n  trust: high\n  server a "A" { os: Amazon Linux }\n}', "Amazon Linux", 22),
    ],
)
def test_an_unquoted_value_with_spaces_says_to_quote_it(text: str, value: str, column: int) -> None:
    (d,) = parse(text, "m.tm").diagnostics
    assert (d.code, d.message) == ("E001", f"a value with spaces needs quotes: `{value}`")
    assert (d.span.column, d.span.end_column - d.span.column) == (column, len(value))
    assert d.fix is not None and d.fix.replacement == f'"{value}"' and d.fix.span == d.span
    assert d.hint is not None and f'"{value}"' in d.hint
