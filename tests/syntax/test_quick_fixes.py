"""The quick fixes and messages the editor trial asked for (issue 15, item 7 of the report): each
fix, applied as an editor applies it (its replacement over its span), leaves a model without errors."""

from __future__ import annotations

import pytest

from tmdiag.api import check_text
from tmdiag.diagnostics import Diagnostic, Severity

HEAD = 'data photo "Photo" { classification: secret }\nprocess q "Q"\n'


def apply(text: str, diagnostic: Diagnostic) -> str:
    fix = diagnostic.fix
    assert fix is not None
    span = fix.span or diagnostic.span
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    start, end = starts[span.line - 1] + span.column - 1, starts[span.end_line - 1] + span.end_column - 1
    return text[:start] + fix.replacement + text[end:]


def errors(text: str) -> list[Diagnostic]:
    return [d for d in check_text(text, "m.tm", lint=False)[1] if d.severity >= Severity.ERROR]


@pytest.mark.parametrize(
    ("line", "message", "title", "after"),
    [
        ('datastore rds "DB" { encrypted_at_rest: True }', "not the name `True`", "Change to `true`",
         'datastore rds "DB" { encrypted_at_rest: true }'),
        ('datastore rds "DB" { kind sql }', "unexpected identifier `sql`; expected `:`", "Write `kind: sql`",
         'datastore rds "DB" { kind: sql }'),
        ('datastore rds "DB" { kind = sql }', "unexpected character `=`", "Change `=` to `:`",
         'datastore rds "DB" { kind : sql }'),
        ("actor u 'User'", "unexpected character `'`", "Use double quotes", 'actor u "User"'),
        ('process p "P" { os: PS 12 }', "a value with spaces needs quotes: `PS 12`", 'Change to `"PS 12"`',
         'process p "P" { os: "PS 12" }'),
        ("actor user End user", "a label is written in quotes: `End user`", "Quote the label",
         'actor user "End user"'),
    ],
)  # fmt: skip
def test_a_fix_makes_the_line_right(line: str, message: str, title: str, after: str):
    text = HEAD + line + "\n"
    found = errors(text)
    assert len(found) == 1 and message in found[0].message, found
    assert found[0].fix is not None and found[0].fix.title == title
    fixed = apply(text, found[0])
    assert fixed == HEAD + after + "\n" and errors(fixed) == []


def test_a_flow_end_written_as_a_label_says_ends_are_ids():
    found = errors(HEAD + 'q -> "Users DB (RDS)"\n')
    assert [d.message for d in found] == ['unexpected string "Users DB (RDS)"; a flow\'s ends are ids']
    assert found[0].hint is not None and "not its label" in found[0].hint


def test_an_unused_suppression_can_be_removed():
    text = HEAD + 'process api "API"  # tmdiag: ignore[TM203] reason: no secrets here\n'
    unused = [d for d in check_text(text, "m.tm")[1] if d.code == "TM902"]
    assert len(unused) == 1 and unused[0].fix is not None and unused[0].fix.title == "Remove the suppression"
    assert apply(text, unused[0]) == HEAD + 'process api "API"  \n'
    assert not [d for d in check_text(apply(text, unused[0]), "m.tm")[1] if d.code == "TM902"]


def test_a_name_spelt_as_it_sounds_gets_a_did_you_mean():
    found = errors(HEAD + 'q -> q "x" { data: [foto] }\n')
    assert [(d.code, d.hint) for d in found] == [("E101", "did you mean `photo`?")]
    assert found[0].fix is not None and found[0].fix.replacement == "photo"
