from tmdiag.model import schema
from tmdiag.model.build import RESERVED
from tmdiag.syntax import parse
from tmdiag.syntax.grammar import ELEMENT_KEYWORDS, KEYWORDS_FOR_STATEMENTS, NAME_PATTERN, STRING_PATTERN, parser


def test_grammar_has_no_conflicts_or_collisions_in_strict_mode() -> None:
    assert parser(strict=True) is not None


def test_example_parses_without_diagnostics() -> None:
    with open("examples/checkout.tm", encoding="utf-8") as handle:
        text = handle.read()
    result = parse(text, "checkout.tm")
    assert result.diagnostics == ()
    assert len(result.statements) > 10


def test_grammar_is_lalr_with_the_contextual_lexer() -> None:
    options = parser().options
    assert (options.parser, options.lexer) == ("lalr", "contextual")
    assert not options.cache  # never a pickle from a cache folder (tests/syntax/test_tables.py)


def test_keywords_are_reserved_only_where_they_start_statements() -> None:
    result = parse("actor a { data: [x], on: [y] }\nrisk INP02 on a\nrule R { severity: high, when: data.pii }")
    assert result.diagnostics == ()


def test_comments_are_collected_with_spans() -> None:
    result = parse('# one\nactor a # two\n"#not" ', "c.tm")
    assert [(c.text, c.span.line, c.span.column) for c in result.comments] == [("# one", 1, 1), ("# two", 2, 9)]


def _first_terminals(symbol: str) -> set[str]:
    """Terminals that can start `symbol` in the grammar (no rule of tm.lark can be empty at its start)."""
    rules = parser().rules
    found: set[str] = set()
    todo, seen = [symbol], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for rule in rules:
            if rule.origin.name == name and rule.expansion:
                first = rule.expansion[0]
                (found.add if first.is_term else todo.append)(first.name)  # type: ignore[operator]
    return found


def test_keyword_lists_kept_beside_the_grammar_match_it() -> None:
    literals = {t.name: str(t.pattern.value) for t in parser().terminals if t.pattern.type == "str"}
    kinds = {literals[r.expansion[0].name] for r in parser().rules if r.origin.name == "element_kind"}
    assert set(ELEMENT_KEYWORDS) == kinds == set(schema.ELEMENT_KINDS)
    starts = {literals[t] for t in _first_terminals("_statement") if t in literals}
    assert set(KEYWORDS_FOR_STATEMENTS) == starts
    assert frozenset(RESERVED) == starts | {"reply", "true", "false"}


def test_the_id_pattern_kept_beside_the_grammar_is_its_name_terminal() -> None:
    name = next(t for t in parser().terminals if t.name == "NAME")
    assert name.pattern.value == NAME_PATTERN


def test_the_string_pattern_kept_beside_the_grammar_is_its_string_terminal() -> None:
    string = next(t for t in parser().terminals if t.name == "STRING")
    assert string.pattern.value == STRING_PATTERN.replace("\\n", "\n")  # Lark reads `\n` as a newline


def test_a_long_string_parses_in_memory_proportionate_to_it() -> None:
    """The textbook string regex kept ~120 bytes of backtracking state per character (issue 17)."""
    import tracemalloc

    text = 'actor a "' + "x" * 2_000_000 + '"\n'
    tracemalloc.start()
    try:
        result = parse(text, "long.tm")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok
    assert peak < 20 * len(text), f"{peak / len(text):.0f} bytes per character"
