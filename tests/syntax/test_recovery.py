"""Recovery inside blocks: a broken line in a boundary is reported, and the rest of the boundary
(attributes, elements, nested boundaries) still loads and is checked."""

from __future__ import annotations

import pytest

from tmdiag.api import check_text
from tmdiag.model.build import build
from tmdiag.syntax import parse
from tmdiag.syntax.incremental import IncrementalParse

BOUNDARY = """\
boundary prod "Prod" {
  trust: high
  process web "Web" { port: = }
  os: Amazon Linux
  datastore db "DB" { kind: sql }
  boundary inner "Inner" {
    process worker "Worker" { bogus: 1, port: ] }
    actor admin "Admin"
  }
  server api "API" { os: linux }
}
actor user "User"
"""


def test_every_broken_item_of_a_boundary_is_reported_once() -> None:
    result = parse(BOUNDARY, "m.tm")
    assert [(d.span.line, d.code) for d in result.diagnostics] == [(3, "E002"), (4, "E001"), (7, "E001")]


def test_the_rest_of_the_boundary_loads() -> None:
    parts = build("m.tm", parse(BOUNDARY, "m.tm").statements)
    assert [b.id for b in parts.boundaries] == ["prod", "inner"]
    assert [(e.id, e.boundary) for e in parts.elements] == [
        ("web", "prod"), ("db", "prod"), ("api", "prod"), ("worker", "inner"), ("admin", "inner"), ("user", None),
    ]  # fmt: skip
    prod = parts.boundaries[0]
    assert prod.get("trust") == "high"
    web = next(e for e in parts.elements if e.id == "web")
    assert web.attributes == ()  # the broken `port: =` is dropped, the element stays


def test_validation_still_checks_the_good_items_of_a_broken_boundary() -> None:
    _, diagnostics = check_text(BOUNDARY + "user -> wbe\n", "m.tm", lint=False)
    codes = {(d.code, d.span.line) for d in diagnostics}
    assert ("E201", 7) in codes  # `bogus` on the worker, beside the broken `port: ]`
    assert any(d.code == "E101" and d.fix is not None and d.fix.replacement == "web" for d in diagnostics)


def test_words_of_the_broken_items_only_are_unparsed() -> None:
    result = parse(BOUNDARY, "m.tm")
    assert {"Amazon", "Linux"} <= result.unparsed_names
    assert "db" not in result.unparsed_names and "prod" not in result.unparsed_names


@pytest.mark.parametrize(
    "text",
    [
        BOUNDARY,
        'team {\n  alice "Alice" security_lead\n  bob "Bob"\n  carol "Carol" sre\n}\n',
        'rule R1 "Mine" {\n  targets: [flow]\n  when: encrypted = true\n  severity: hgih!\n}\n',
        "boundary a {\n  trust: high\n  process p { port: 1\n}\nactor b\n",  # never closed: one error, as before
    ],
)
def test_the_language_server_recovers_the_same_way(text: str) -> None:
    whole, incremental = parse(text, "m.tm"), IncrementalParse(text, "m.tm")
    assert whole.diagnostics == incremental.diagnostics()
    assert len(whole.statements) == len(incremental.statements())
    assert whole.unparsed_names == frozenset().union(*(c.unparsed_names for c in incremental.chunks))


def test_a_broken_header_is_one_error_for_the_statement() -> None:
    result = parse('boundary prod "Prod" trust {\n  process web\n  actor x { port: = }\n}\n', "m.tm")
    assert len(result.diagnostics) == 1
    assert result.statements == ()


def test_team_members_recover_one_by_one() -> None:
    text = 'team {\n  alice "Alice" security_lead\n  bob "Bob"\n  carol "Carol" sre\n}\n'
    result = parse(text, "m.tm")
    (d,) = result.diagnostics  # bob has no role: pointed at just after his label
    assert (d.span.line, d.span.column, d.message) == (3, 12, 'expected an identifier or `[` after `"Bob"`')
    assert d.hint is not None and "each member has a role" in d.hint
    parts = build("m.tm", result.statements)
    assert [m.id for m in parts.team] == ["alice", "carol"]
