"""Source of the generated Pygments lexer module (`tmdiag/editors/pygments_lexer.py`)."""

from __future__ import annotations

from devtools.grammars.vocabulary import TokenRule, Vocabulary, combined_regex, token_rules

HEADER = '''\
"""Pygments lexer for .tm files: `pygmentize -l tm model.tm`, and ```tm fences in MkDocs and Sphinx.

Generated from grammar/tm.lark by `make grammars` (python -m devtools.generate grammars). Do not edit.
"""
# ruff: noqa: E501

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Literal, Name, Number, Operator, Punctuation, String, Whitespace

__all__ = ["TmLexer"]


class TmLexer(RegexLexer):
    name = "tmdiag"
    aliases = ["tm", "tmdiag"]  # noqa: RUF012
    filenames = ["*.tm"]  # noqa: RUF012
    mimetypes = ["text/x-tmdiag"]  # noqa: RUF012
    url = "https://github.com/tmdiag/tmdiag"

    # fmt: off
    tokens = {  # noqa: RUF012
        "root": [
            (r"\\s+", Whitespace),
'''

FOOTER = """\
        ],
    }
    # fmt: on
"""


def _literal(regex: str) -> str:
    if '"' not in regex and not regex.endswith("\\\\"):
        return f'r"{regex}"'
    if "'" not in regex and not regex.endswith("\\\\"):
        return f"r'{regex}'"
    return repr(regex)


def _action(rule: TokenRule) -> str:
    if rule.single:
        return rule.segments[0].token
    return "bygroups(" + ", ".join(segment.token for segment in rule.segments) + ")"


def render(vocab: Vocabulary) -> str:
    lines = [f"            ({_literal(combined_regex(rule))}, {_action(rule)}),  # {rule.name}"
             for rule in token_rules(vocab)]  # fmt: skip
    return HEADER + "\n".join(lines) + "\n" + FOOTER
