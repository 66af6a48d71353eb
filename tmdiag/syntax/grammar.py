"""Loading the Lark parser: from the tables shipped in the package, else built from the grammar."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from tmdiag.resources import data_path

if TYPE_CHECKING:
    from lark import Lark

ELEMENT_KEYWORDS = ("actor", "process", "server", "lambda", "datastore", "external", "llm", "agent")
# An id or unquoted word: the grammar's NAME terminal (a test holds them equal).
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"
# A string: the grammar's STRING terminal (a test holds them equal), written as an unrolled loop:
# the textbook `"(?:[^"\\]|\\.)*"` costs Python's regex engine ~120 bytes of state per character.
STRING_PATTERN = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
KEYWORDS_FOR_STATEMENTS = (
    "import", "model", "team", "data", "threat_agent", "boundary", "actor", "process",
    "server", "lambda", "datastore", "external", "llm", "agent", "control", "risk",
    "assume", "rule", "view",
)  # fmt: skip


def grammar_text() -> str:
    return data_path("grammar/tm.lark").read_text(encoding="utf-8")


@functools.cache
def parser(strict: bool = False) -> Lark:
    """The LALR parser. `strict=True` (tests) builds it from the grammar and checks for conflicts
    and collisions. Nothing is read from or written to a cache folder (Lark's cache is a pickle:
    whoever can write it could run code in tmdiag); the shipped tables are JSON (tables.py)."""
    from lark import Lark  # here: well-formed files are read without Lark (tmdiag.reader)

    from tmdiag.syntax import tables

    grammar = grammar_text()
    if strict:
        return Lark(grammar, strict=True, **tables.OPTIONS)
    return tables.load(grammar) or Lark(grammar, **tables.OPTIONS)
