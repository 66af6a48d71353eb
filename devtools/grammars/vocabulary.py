"""What editors need to know about the language, read from `grammar/tm.lark` with Lark itself.

Keywords are the grammar's identifier-like string literals, grouped by the rules that use them;
literals (strings, numbers, dates, durations, comments, `->`) are the grammar's own terminal
regexes. Both the TextMate grammar and the Pygments lexer are built from `token_rules()`, so the
two highlighters agree with each other and with the parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lark import Lark

from tmdiag.syntax.grammar import grammar_text

# Rule names the grouping relies on; `vocabulary()` fails loudly if the grammar drops one.
ELEMENT_KIND_RULE = "element_kind"
KEY_RULE = "key"
VALUE_RULES = frozenset({"value", "operand"})
EXPRESSION_RULES = frozenset({"expr", "and_expr", "not_expr", "predicate"})
STATEMENT_RULE = "_statement"
BODY_RULES = frozenset({"boundary_body"})  # rules whose items are statements too
LITERAL_TERMINALS = ("NAME", "STRING", "DATE", "DURATION", "NUMBER", "COMMENT", "ARROW", "COMPARE")

_HELPER_RULE = re.compile(r"^__(?P<rule>.+?)_(?:star|plus)_\d+$")


@dataclass(frozen=True)
class Vocabulary:
    declarations: tuple[str, ...]  # keywords that start a statement: data, boundary, risk, …
    element_kinds: tuple[str, ...]  # actor, process, …
    operators: tuple[str, ...]  # and, or, not, in, crosses, …
    constants: tuple[str, ...]  # true, false
    others: tuple[str, ...]  # on, reply, when
    key_keywords: tuple[str, ...]  # keywords that may also be attribute keys
    patterns: dict[str, str]  # terminal name -> regex, for LITERAL_TERMINALS
    priorities: dict[str, int]  # terminal name -> Lark priority

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(sorted({*self.declarations, *self.element_kinds, *self.operators, *self.constants, *self.others}))

    @property
    def non_key_keywords(self) -> tuple[str, ...]:
        return tuple(k for k in self.keywords if k not in self.key_keywords)


def _printable(regex: str) -> str:
    """Lark stores `\\n` in a regex as a real newline; write it back as an escape."""
    return regex.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r").replace("\f", "\\f")


def _rule_name(origin: str) -> str:
    match = _HELPER_RULE.match(origin)
    return match.group("rule") if match else origin


@functools.lru_cache(maxsize=4)
def vocabulary(text: str | None = None) -> Vocabulary:
    """Read keywords and terminal patterns from the grammar (default: the shipped `tm.lark`)."""
    lark = Lark(text if text is not None else grammar_text(), parser="lalr", lexer="contextual")
    literals = {t.name: str(t.pattern.value) for t in lark.terminals if t.pattern.type == "str"}
    keyword_terminals = {name: value for name, value in literals.items() if value.isidentifier()}
    users: dict[str, set[str]] = {name: set() for name in keyword_terminals}
    statement_rules: set[str] = set()
    first_of: dict[str, set[str]] = {}  # rule -> keyword terminals that can start it
    for rule in lark.rules:
        origin = _rule_name(rule.origin.name)
        names = [symbol.name for symbol in rule.expansion]
        if origin in (STATEMENT_RULE, *BODY_RULES):
            statement_rules.update(_rule_name(n) for n in names if not n.isupper())
        if names and names[0] in keyword_terminals:
            first_of.setdefault(origin, set()).add(names[0])
        for name in names:
            if name in users:
                users[name].add(origin)
    known = {_rule_name(r.origin.name) for r in lark.rules}
    missing = ({ELEMENT_KIND_RULE, KEY_RULE, STATEMENT_RULE} | VALUE_RULES | EXPRESSION_RULES) - known
    if missing:
        raise ValueError(f"grammar has no rule(s) {sorted(missing)}: update devtools/grammars/vocabulary.py")
    statement_starters = {t for rule in statement_rules for t in first_of.get(rule, ())}

    groups: dict[str, list[str]] = {"element": [], "declaration": [], "constant": [], "operator": [], "other": []}
    key_keywords: list[str] = []
    for terminal, word in keyword_terminals.items():
        used_by = users[terminal] - {KEY_RULE}
        if KEY_RULE in users[terminal]:
            key_keywords.append(word)
        if ELEMENT_KIND_RULE in used_by:
            groups["element"].append(word)
        elif terminal in statement_starters:
            groups["declaration"].append(word)
        elif used_by and used_by <= VALUE_RULES:
            groups["constant"].append(word)
        elif used_by & EXPRESSION_RULES:
            groups["operator"].append(word)
        else:
            groups["other"].append(word)
    patterns: dict[str, str] = {}
    priorities: dict[str, int] = {}
    for definition in lark.terminals:
        if definition.name in LITERAL_TERMINALS:
            value = str(definition.pattern.value)
            regex = value if definition.pattern.type == "re" else re.escape(value)
            patterns[definition.name] = _printable(regex)
            priorities[definition.name] = definition.priority
    absent = set(LITERAL_TERMINALS) - set(patterns)
    if absent:
        raise ValueError(f"grammar has no terminal(s) {sorted(absent)}: update devtools/grammars/vocabulary.py")

    def ordered(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted(words))

    return Vocabulary(
        declarations=ordered(groups["declaration"]),
        element_kinds=ordered(groups["element"]),
        operators=ordered(groups["operator"]),
        constants=ordered(groups["constant"]),
        others=ordered(groups["other"]),
        key_keywords=ordered(key_keywords),
        patterns=patterns,
        priorities=priorities,
    )


# ---- token rules shared by both highlighters -----------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a token rule: its regex, TextMate scope (without `.tm`) and Pygments token."""

    regex: str
    scope: str | None
    token: str


@dataclass(frozen=True)
class TokenRule:
    name: str
    segments: tuple[Segment, ...]

    @property
    def single(self) -> bool:
        return len(self.segments) == 1


_SPACE = Segment(r"\s+", None, "Whitespace")
_OPTIONAL_SPACE = Segment(r"\s*", None, "Whitespace")
_BEFORE = r"(?<![\w.-])"  # not inside a name, a dotted name or a number
_AFTER = r"(?![\w.-])"


def _words(words: tuple[str, ...]) -> str:
    longest_first = sorted(words, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in longest_first) + ")"


def token_rules(vocab: Vocabulary) -> tuple[TokenRule, ...]:
    """Highlighting rules, most specific first (both engines try them in this order)."""
    name = vocab.patterns["NAME"]
    not_keyword = f"(?!{_words(vocab.keywords)}(?![\\w-]))"
    identifier = not_keyword + name
    arrow = Segment(vocab.patterns["ARROW"], "keyword.operator.arrow", "Operator")
    reference = Segment(identifier, "variable.other.id", "Name.Variable")
    declared = Segment(identifier, "entity.name.type.id", "Name.Class")
    risk_words = [w for w in vocab.declarations if w == "risk"] + [w for w in vocab.others if w == "on"]
    rules = [
        TokenRule("comment", (Segment(vocab.patterns["COMMENT"], "comment.line.number-sign", "Comment.Single"),)),
        TokenRule("string", (Segment(vocab.patterns["STRING"], "string.quoted.double", "String.Double"),)),
        TokenRule("named-flow", (
            Segment(_BEFORE + identifier, "entity.name.function.flow", "Name.Function"), _OPTIONAL_SPACE,
            Segment(":", "punctuation.separator.key-value", "Punctuation"), _OPTIONAL_SPACE,
            reference, _OPTIONAL_SPACE, arrow, _OPTIONAL_SPACE, reference,
        )),
        TokenRule("flow", (
            Segment(_BEFORE + identifier, "variable.other.id", "Name.Variable"), _OPTIONAL_SPACE,
            arrow, _OPTIONAL_SPACE, reference,
        )),
    ]  # fmt: skip
    if len(risk_words) == 2:  # `risk THREAT on TARGET`
        rules.append(TokenRule("risk", (
            Segment(_BEFORE + "risk", "keyword.other.declaration", "Keyword.Declaration"), _SPACE,
            Segment(name, "constant.other.threat-id", "Name.Constant"), _SPACE,
            Segment("on", "keyword.other", "Keyword"), _SPACE, reference,
        )))  # fmt: skip
    boundary_operators = tuple(w for w in vocab.operators if w in ("crosses", "enters", "exits"))
    if boundary_operators and "boundary" in vocab.declarations:  # `crosses boundary`: no declaration there
        rules.append(TokenRule("any-boundary", (
            Segment(_BEFORE + _words(boundary_operators), "keyword.operator.logical", "Operator.Word"), _SPACE,
            Segment("boundary" + _AFTER, "keyword.other", "Keyword"),
        )))  # fmt: skip
    rules += [
        TokenRule("key", (
            Segment(_BEFORE + f"(?!{_words(vocab.non_key_keywords)}(?![\\w-])){name}",
                    "support.type.property-name", "Name.Attribute"),
            _OPTIONAL_SPACE, Segment(":", "punctuation.separator.key-value", "Punctuation"),
        )),
        TokenRule("element", (
            Segment(_BEFORE + _words(vocab.element_kinds), "storage.type.element", "Keyword.Type"), _SPACE, declared,
        )),
        TokenRule("declaration", (
            Segment(_BEFORE + _words(vocab.declarations), "keyword.other.declaration", "Keyword.Declaration"),
            _SPACE, declared,
        )),
    ]  # fmt: skip
    keyword_groups = (
        ("declaration-keyword", vocab.declarations, "keyword.other.declaration", "Keyword.Declaration"),
        ("element-keyword", vocab.element_kinds, "storage.type.element", "Keyword.Type"),
        ("constant", vocab.constants, "constant.language.boolean", "Keyword.Constant"),
        ("operator-keyword", vocab.operators, "keyword.operator.logical", "Operator.Word"),
        ("keyword", vocab.others, "keyword.other", "Keyword"),
    )
    for rule_name, words, scope, token in keyword_groups:
        if words:
            rules.append(TokenRule(rule_name, (Segment(_BEFORE + _words(words) + _AFTER, scope, token),)))
    literals = [
        ("date", "DATE", "constant.numeric.date", "Literal.Date"),
        ("duration", "DURATION", "constant.numeric.duration", "Number"),
        ("number", "NUMBER", "constant.numeric", "Number"),
    ]
    # Higher Lark priority first, as the lexer does (a date is not the number 2026 then -10).
    literals.sort(key=lambda item: -vocab.priorities[item[1]])
    for rule_name, terminal, scope, token in literals:
        rules.append(TokenRule(rule_name, (Segment(_BEFORE + vocab.patterns[terminal], scope, token),)))
    rules += [
        TokenRule("arrow", (arrow,)),
        TokenRule("compare", (Segment(vocab.patterns["COMPARE"], "keyword.operator.comparison", "Operator"),)),
        TokenRule("name", (Segment(name, "variable.other", "Name"),)),
        TokenRule("braces", (Segment(r"[{}]", "punctuation.section.block", "Punctuation"),)),
        TokenRule("brackets", (Segment(r"[\[\]()]", "punctuation.section.brackets", "Punctuation"),)),
        TokenRule("separator", (Segment(r"[,.:]", "punctuation.separator", "Punctuation"),)),
    ]
    return tuple(rules)


def combined_regex(rule: TokenRule) -> str:
    """The rule as one regex, a capture group around each scoped segment (for multi-segment rules)."""
    if rule.single:
        return rule.segments[0].regex
    return "".join(f"({s.regex})" for s in rule.segments)
