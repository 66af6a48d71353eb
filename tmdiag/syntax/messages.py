"""Human words for the parser's terminals: "expected a string or `{`", not "LBRACE"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lark import Token

from tmdiag.diagnostics import did_you_mean
from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS, parser

_NAMED = {
    "NAME": "an identifier",
    "STRING": "a string",
    "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "DURATION": "a duration like `90d`",
    "COMPARE": "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
    "ARROW": "`->`",
    "$END": "the end of the file",
}
_ORDER = ["NAME", "STRING", "NUMBER", "DATE", "DURATION"]


def _literal(terminal: str) -> str | None:
    for definition in parser().terminals:
        if definition.name == terminal and definition.pattern.type == "str":
            return str(definition.pattern.value)
    return None


def expected_words(terminals: Iterable[str]) -> str:
    names = set(terminals)
    literals = {t: _literal(t) for t in names}
    keywords = sorted(v for v in literals.values() if v and v.isidentifier())
    if set(KEYWORDS_FOR_STATEMENTS) <= set(keywords):
        words = ["a statement (`boundary`, `process`, `data`, `a -> b`, …)"]
        if "RBRACE" in names:
            words.append("`}`")
        return _join(words)
    if {"STRING", "NUMBER", "DATE", "NAME", "LSQB"} <= names:
        return "a value (a string, number, date, duration, `true`, `false`, a name or a `[list]`)"
    parts = [_NAMED[t] for t in _ORDER if t in names]
    symbols = sorted(f"`{v}`" for v in literals.values() if v and not v.isidentifier())
    keyword_words = [f"`{k}`" for k in keywords]
    if len(keyword_words) > 6:
        keyword_words = ["a keyword (" + ", ".join(keyword_words[:6]) + ", …)"]
    parts += [_NAMED[t] for t in sorted(names) if t in _NAMED and t not in _ORDER and not literals[t]]
    return _join(keyword_words + parts + symbols) or "something else"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def describe_token(token: Token) -> str:
    literal = _literal(token.type)
    if literal is not None:
        return f"`{literal}`"
    label = _NAMED.get(token.type, "input").replace("an identifier", "identifier").removeprefix("a ")
    value = str(token)
    return f"{label} `{value if len(value) <= 40 else value[:37] + '…'}`"


def describe_char(char: str) -> str:
    if not char:
        return "end of file"
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


_LAST_WORD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*$")


def keyword_hint(text: str, position: int, expected: Iterable[str]) -> str | None:
    """'did you mean `process`?' when the word before the error is a misspelt keyword."""
    before = _LAST_WORD.search(text[max(0, position - 80) : position])
    words = [before.group(1)] if before else []
    following = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[position:])
    if following:
        words.append(following.group())
    for word in words:
        hint = did_you_mean(word, KEYWORDS_FOR_STATEMENTS)
        if hint and word not in KEYWORDS_FOR_STATEMENTS:
            return hint
    return None


def unclosed_hint(statement: str) -> str | None:
    opened = statement.count("{") - statement.count("}")
    if opened > 0:
        return f"{opened} `{{` not closed"
    if statement.count("[") > statement.count("]"):
        return "a `[` is not closed"
    return None
