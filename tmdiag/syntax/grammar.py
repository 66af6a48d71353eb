"""Loading the Lark grammar (shipped in the package, cached on disk)."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from tmdiag.resources import data_path

if TYPE_CHECKING:
    from lark import Lark

ELEMENT_KEYWORDS = ("actor", "process", "server", "lambda", "datastore", "external", "llm", "agent")
# An id or unquoted word: the grammar's NAME terminal (a test holds them equal).
NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"
KEYWORDS_FOR_STATEMENTS = (
    "import", "model", "team", "data", "threat_agent", "boundary", "actor", "process",
    "server", "lambda", "datastore", "external", "llm", "agent", "control", "risk",
    "assume", "rule", "view",
)  # fmt: skip


def grammar_text() -> str:
    return data_path("grammar/tm.lark").read_text(encoding="utf-8")


def _cache_path() -> str | bool:
    """The user's own cache folder, never a shared one: Lark unpickles the cache file, so a file planted
    in a world-writable place (`/tmp/tmdiag/`) by another user would run code in ours."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    try:
        os.makedirs(os.path.join(base, "tmdiag"), mode=0o700, exist_ok=True)
    except OSError:
        return False
    return os.path.join(base, "tmdiag", "lark-grammar.cache")


@functools.cache
def parser(strict: bool = False) -> Lark:
    """The LALR parser. `strict=True` (tests) also checks for conflicts and collisions."""
    from lark import Lark  # here: well-formed files are read without Lark (tmdiag.reader)

    options = dict(parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=False)
    if strict:
        return Lark(grammar_text(), strict=True, **options)  # type: ignore[arg-type]
    cache = _cache_path()
    try:
        return Lark(grammar_text(), cache=cache, **options)  # type: ignore[arg-type]
    except OSError:  # unwritable cache: build in memory
        return Lark(grammar_text(), **options)  # type: ignore[arg-type]
