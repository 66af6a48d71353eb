"""Human words for the parser's terminals: "expected a string or `{`", not "LBRACE"."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from lark import Token

from tmdiag.diagnostics import Fix, suggestion
from tmdiag.syntax.grammar import ELEMENT_KEYWORDS, KEYWORDS_FOR_STATEMENTS, NAME_PATTERN, parser

_NAMED = {
    "NAME": "an identifier",
    "STRING": "a string",
    "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "DURATION": "a duration like `90d`",
    "COMPARE": "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
    "ARROW": "`->`",
    "ANY_BOUNDARY": "`boundary`",
    "$END": "the end of the file",
}
_ORDER = ["NAME", "STRING", "NUMBER", "DATE", "DURATION"]
# What a token found is called: "unexpected date `2026-01-01`".
_NOUNS = {"NAME": "identifier", "STRING": "string", "NUMBER": "number", "DATE": "date", "DURATION": "duration",
          "COMPARE": "comparison"}  # fmt: skip
_IN_CONSTRUCT = {
    "top": "a statement (`boundary`, `process`, `data`, `a -> b`, …)",
    "boundary": "an attribute (`key: value`), an element (`process web`, …), a nested `boundary` or `}`",
    "block": "an attribute (`key: value`) or `}`",
    "rule": "an attribute (`key: value`), `when:` or `}`",
    "team": 'a team member (`alice "Alice Ng" security_lead`) or `}`',
}


@functools.cache
def _literals() -> dict[str, str]:
    return {d.name: str(d.pattern.value) for d in parser().terminals if d.pattern.type == "str"}


def expected_words(terminals: Iterable[str], construct: str = "top") -> str:
    """What the parser wanted, in words. `construct` is where the error is (see scan.Opener)."""
    names = set(terminals)
    literals = {t: _literals().get(t) for t in names}
    keywords = sorted(v for v in literals.values() if v and v.isidentifier())
    if set(KEYWORDS_FOR_STATEMENTS) <= set(keywords) or (construct == "team" and names <= {"NAME", "RBRACE"}):
        return _IN_CONSTRUCT.get(construct, _IN_CONSTRUCT["block"])
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
    literal = _literals().get(token.type)
    if literal is not None:
        return f"`{literal}`"
    return f"{_NOUNS.get(token.type, 'input')} `{shorten(str(token))}`"


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_char(char: str) -> str:
    if not char:
        return "end of file"
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


_WORD = re.compile(NAME_PATTERN)
KEYWORDS = (*KEYWORDS_FOR_STATEMENTS, "reply")


def keyword_suggestion(word: str) -> Fix | None:
    """The keyword a misspelt word most likely means (`proces` → `process`), or None."""
    if word in KEYWORDS:
        return None
    return suggestion(word, KEYWORDS)


def character_hint(rest: str, wanted: set[str]) -> str | None:
    """Why the text at an unexpected character does not lex, when we can tell."""
    char = rest[:1]
    if re.match(r"\d+[A-Za-z_]", rest):
        word = re.match(r"\d+\w*", rest).group()  # type: ignore[union-attr]
        if re.fullmatch(r"\d+\w+", word) and ("DURATION" in wanted or "NAME" not in wanted or len(wanted) > 1):
            return f"durations are a number and one unit: `90d`, `12w`, `1y`, `36h` (not `{shorten(word)}`)"
        return "an id starts with a letter or `_` (letters, digits, `_` and `-` follow)"
    if char == "=" and rest[1:2] == ">":
        return "a flow arrow is written `->`"
    if char == "=" and "COMPARE" in wanted:
        return "compare with `==`"
    if char == "=":
        return "attributes are written `key: value`"
    if char == "'":
        return 'strings use double quotes: "…"'
    if char.isalpha() and not char.isascii():
        return 'ids are ASCII letters, digits, `_` and `-`; write other text in the "label"'
    if char and not char.isprintable() and char not in "\t\r\n":
        return "a .tm file is plain UTF-8 text; is this a binary file?"
    return None


def element_kinds() -> str:
    return ", ".join(f"`{k}`" for k in ELEMENT_KEYWORDS)


@functools.cache
def statement_terminals() -> frozenset[str]:
    """Terminal names that may start a statement (the keywords and NAME, for flows)."""
    return frozenset({t for t, v in _literals().items() if v in KEYWORDS_FOR_STATEMENTS} | {"NAME"})
