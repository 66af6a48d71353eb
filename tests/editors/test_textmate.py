"""The generated TextMate grammar, run by the real VS Code engine on every example and conformance file.

Expected scopes come from the parser: each token of the parse tree (and each comment) must be
highlighted as what the grammar says it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lark import Token, Tree

from tests.editors.conftest import FIXTURE, MARKDOWN_FIXTURE, ROOT, Tokens, corpus
from devtools.grammars.vocabulary import vocabulary
from tmdiag.syntax import parse

DECLARED_ID_PARENTS = {"data_decl", "agent_decl", "boundary_decl", "element_decl", "control_decl", "rule_decl"}


def scopes_at(lines: Tokens, line: int, column: int) -> list[str]:
    """Scopes of the character at 1-based line and column."""
    for token in lines[line - 1]:
        if token["start"] <= column - 1 < token["end"]:
            return list(token["scopes"])
    raise AssertionError(f"no token at {line}:{column}")


def _tokens(tree: Tree[Token]) -> Iterator[tuple[Tree[Token], int, Token]]:
    for subtree in tree.iter_subtrees():
        for index, child in enumerate(subtree.children):
            if isinstance(child, Token):
                yield subtree, index, child


def expected_scopes(path: Path) -> Iterator[tuple[int, int, str, str]]:
    """(line, column, text, scope) for every token whose scope the grammar determines."""
    result = parse(path.read_text(encoding="utf-8-sig"), str(path))
    assert result.ok, result.diagnostics
    for comment in result.comments:
        yield comment.span.line, comment.span.column, comment.text, "comment.line.number-sign.tm"
    simple = {
        "STRING": "string.quoted.double.tm", "NUMBER": "constant.numeric.tm", "DATE": "constant.numeric.date.tm",
        "DURATION": "constant.numeric.duration.tm", "ARROW": "keyword.operator.arrow.tm",
        "COMPARE": "keyword.operator.comparison.tm",
    }  # fmt: skip
    for statement in result.statements:
        for parent, index, token in _tokens(statement):
            where = (token.line or 0, token.column or 0, str(token))
            if token.type in simple:
                yield (*where, simple[token.type])
            elif parent.data == "element_kind":
                yield (*where, "storage.type.element.tm")
            elif parent.data == "key":
                yield (*where, "support.type.property-name.tm")
            elif parent.data in DECLARED_ID_PARENTS and index == (1 if parent.data == "element_decl" else 0):
                yield (*where, "entity.name.type.id.tm")
            elif parent.data == "flow_decl" and token.type == "NAME":
                arrow = next(c for c in parent.children if isinstance(c, Token) and c.type == "ARROW")
                if token.line == arrow.line:  # a flow split over lines is only partly recognised
                    named = index == 0 and parent.children[1] is not arrow
                    yield (*where, "entity.name.function.flow.tm" if named else "variable.other.id.tm")
            elif parent.data == "risk_decl":
                yield (*where, "constant.other.threat-id.tm" if index == 0 else "variable.other.id.tm")


FILES = corpus()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_token_has_its_scope(path: Path, textmate_tokens: dict[Path, Tokens]) -> None:
    lines = textmate_tokens[path]
    checked = 0
    for line, column, text, scope in expected_scopes(path):
        scopes = scopes_at(lines, line, column)
        assert scope in scopes, f"{path.name}:{line}:{column} `{text}`: expected {scope}, got {scopes}"
        checked += 1
    assert checked > 0 or not path.read_text(encoding="utf-8-sig").strip()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_statement_keywords_are_keywords(path: Path, textmate_tokens: dict[Path, Tokens]) -> None:
    vocab = vocabulary()
    leading = re.compile(rf"^\s*({'|'.join(vocab.declarations)})\b(?!\s*[:.])")
    for number, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        match = leading.match(text)
        if match:
            scopes = scopes_at(textmate_tokens[path], number, match.start(1) + 1)
            assert "keyword.other.declaration.tm" in scopes, f"{path.name}:{number}: {scopes}"


def _scope_of(textmate_tokens: dict[Path, Tokens], line: int, word: str, occurrence: int = 0) -> list[str]:
    text = FIXTURE.read_text(encoding="utf-8").splitlines()[line - 1]
    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])" if word[0].isalnum() else re.escape(word)
    starts = [m.start() for m in re.finditer(pattern, text)]
    return scopes_at(textmate_tokens[FIXTURE], line, starts[occurrence] + 1)


@pytest.mark.parametrize(
    ("line", "word", "occurrence", "scope"),
    [
        (1, "# every", 0, "comment.line.number-sign.tm"),
        (2, "import", 0, "keyword.other.declaration.tm"),
        (3, "2026-10-01", 0, "constant.numeric.date.tm"),
        (3, "90d", 0, "constant.numeric.duration.tm"),
        (4, "team", 0, "keyword.other.declaration.tm"),
        (7, "true", 0, "constant.language.boolean.tm"),
        (7, "card", 0, "entity.name.type.id.tm"),
        (12, "-1", 0, "constant.numeric.tm"),
        (12, "aws", 0, "variable.other.tm"),
        (13, "false", 0, "constant.language.boolean.tm"),
        (13, "36h", 0, "constant.numeric.duration.tm"),
        (15, "pay", 0, "entity.name.function.flow.tm"),
        (15, "web", 0, "variable.other.id.tm"),
        (15, "->", 0, "keyword.operator.arrow.tm"),
        (15, "db", 0, "variable.other.id.tm"),
        (15, '\\"', 0, "string.quoted.double.tm"),
        (15, "data", 0, "support.type.property-name.tm"),
        (15, "1.3", 0, "constant.numeric.tm"),
        (15, "reply", 0, "keyword.other.tm"),
        (16, "on", 0, "support.type.property-name.tm"),
        (17, "on", 0, "keyword.other.tm"),
        (17, "INP02", 0, "constant.other.threat-id.tm"),
        (19, "R1", 0, "entity.name.type.id.tm"),
        (20, "when", 0, "keyword.other.tm"),
        (20, "not", 0, "keyword.operator.logical.tm"),
        (20, "and", 0, "keyword.operator.logical.tm"),
        (20, "data", 0, "variable.other.tm"),
        (20, ">=", 0, "keyword.operator.comparison.tm"),
        (20, " in ", 0, "source.tm"),
        (20, "crosses", 0, "keyword.operator.logical.tm"),
        (20, "boundary", 0, "keyword.other.tm"),  # a condition word, not a declaration
        (22, "lambda", 0, "storage.type.element.tm"),
        (22, "lambda", 1, "variable.other.tm"),  # `aws.lambda` is a dotted name, not a keyword
        (22, "data-x", 0, "variable.other.tm"),
    ],
)
def test_fixture_scopes(line: int, word: str, occurrence: int, scope: str, textmate_tokens: dict[Path, Tokens]) -> None:
    scopes = _scope_of(textmate_tokens, line, word.strip() if word != " in " else "in ", occurrence)
    assert scope in scopes, f"line {line} `{word}`: {scopes}"
    if word == " in ":
        assert "keyword.operator.logical.tm" in scopes


def test_keyword_inside_a_name_is_not_a_keyword(textmate_tokens: dict[Path, Tokens]) -> None:
    # `review_every` contains no keyword; `encrypted_at_rest` is a key, not `rest`
    scopes = _scope_of(textmate_tokens, 13, "encrypted_at_rest")
    assert "support.type.property-name.tm" in scopes
    assert not any(s.startswith("keyword") for s in _scope_of(textmate_tokens, 12, "ingress"))


def test_markdown_fences_are_highlighted(textmate_tokens: dict[Path, Tokens]) -> None:
    lines = textmate_tokens[MARKDOWN_FIXTURE]
    inside = scopes_at(lines, 4, 1)  # `process` inside ```tm
    assert "storage.type.element.tm" in inside and "meta.embedded.block.tm" in inside
    assert "comment.line.number-sign.tm" in scopes_at(lines, 4, 35)
    assert scopes_at(lines, 7, 17) == ["text.html.markdown"]  # `process` in prose
    assert scopes_at(lines, 10, 1) == ["text.html.markdown"]  # ```python is not ours
