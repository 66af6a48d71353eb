from pathlib import Path

import pytest

from tmdiag.syntax import parse
from tmdiag.syntax.grammar import _cache_path, parser


def test_grammar_has_no_conflicts_or_collisions_in_strict_mode() -> None:
    assert parser(strict=True) is not None


def test_example_parses_without_diagnostics() -> None:
    with open("examples/checkout.tm", encoding="utf-8") as handle:
        text = handle.read()
    result = parse(text, "checkout.tm")
    assert result.diagnostics == ()
    assert len(result.statements) > 10


def test_grammar_is_lalr_with_the_contextual_lexer_and_cached() -> None:
    options = parser().options
    assert (options.parser, options.lexer) == ("lalr", "contextual")
    assert options.cache


def test_keywords_are_reserved_only_where_they_start_statements() -> None:
    result = parse("actor a { data: [x], on: [y] }\nrisk INP02 on a\nrule R { severity: high, when: data.pii }")
    assert result.diagnostics == ()


def test_comments_are_collected_with_spans() -> None:
    result = parse('# one\nactor a # two\n"#not" ', "c.tm")
    assert [(c.text, c.span.line, c.span.column) for c in result.comments] == [("# one", 1, 1), ("# two", 2, 9)]


def test_the_parse_table_cache_lives_in_the_users_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Lark unpickles the cache: it must not sit in a world-writable folder such as /tmp
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache_path() == str(tmp_path / ".cache" / "tmdiag" / "lark-grammar.cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache_path() == str(tmp_path / "xdg" / "tmdiag" / "lark-grammar.cache")
