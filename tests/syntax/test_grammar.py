from tmdiag.syntax import parse
from tmdiag.syntax.grammar import parser


def test_grammar_has_no_conflicts_or_collisions_in_strict_mode() -> None:
    assert parser(strict=True) is not None


def test_example_parses_without_diagnostics() -> None:
    text = open("examples/checkout.tm", encoding="utf-8").read()
    result = parse(text, "checkout.tm")
    assert result.diagnostics == ()
    assert len(result.statements) > 10
