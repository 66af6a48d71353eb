"""Markdown that renders model text as the same text in CommonMark (GitHub, markdown-it) and
Python-Markdown (MkDocs): for report.md, GitHub issue bodies and the language server's hovers.

The text goes through `tmdiag.model.text.for_output` first (characters no output can carry become
U+FFFD, bidi overrides and isolates are dropped, right-to-left text is isolated). Then each
character that could start markup is escaped in a way both renderers read back as that character:
a backslash where both honour it, a character reference where Python-Markdown does not (`&`, `<`,
`>`, `|`, `$`, `~`, `=`), where a preprocessor reads the raw text (`{` and `}`: mkdocs-macros runs
the page as a Jinja template) and for `@`, which GitHub turns into a mention that notifies people.
Line breaks collapse to spaces, so a label stays one line of plain text (safe in table cells and
list items).
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup

from tmdiag.model.text import for_output

# Backslash escapes both CommonMark and Python-Markdown honour (its ESCAPED_CHARS).
_MD_BACKSLASH = frozenset("\\`*_[]#")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "$": "&#36;", "~": "&#126;",
                "{": "&#123;", "}": "&#125;", "@": "&#64;"}  # fmt: skip
_MD_INLINE = re.compile(r"[\\`*_\[\]#&<>|$~{}@]")
_MD_LINE_START = re.compile(r"^(=|[-+](?=\s|$)|\d+(?=[.)](?:\s|$)))")  # setext, bullet, "1. "
_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_MD_ANY = re.compile(r"[\\`*_\[\]<>|~$&#{}@\r\n]|^[-+=\d\s]|\s$")  # anything the slow path would change


def md_escape(value: object) -> Markup:
    """Text as inert Markdown for CommonMark and Python-Markdown (safe in table cells and list items)."""
    if isinstance(value, Markup):
        return value
    return _md_escape_text("" if value is None else str(value))


def _md_char(match: re.Match[str]) -> str:
    char = match.group()
    return "\\" + char if char in _MD_BACKSLASH else _MD_ENTITIES[char]


def _md_line_start(match: re.Match[str]) -> str:
    lead = match.group(0)
    if lead[0].isdigit():
        return lead + "\\"  # `1\. first`
    return "&#61;" if lead == "=" else "\\" + lead  # Python-Markdown does not read `\=`


@functools.lru_cache(maxsize=65536)
def _md_escape_text(text: str) -> Markup:
    text = for_output(text)
    if not _MD_ANY.search(text):
        return Markup(text)
    text = _BREAKS.sub(" ", text).strip()
    text = _MD_INLINE.sub(_md_char, text)
    text = _MD_LINE_START.sub(_md_line_start, text)
    return Markup(text)
