"""Syntax: the grammar, parsing with error recovery, and syntax diagnostics in human words.

Knows nothing of pytm, diagrams or Jinja2.
"""

from tmdiag.syntax.parse import Comment, ParseResult, parse

__all__ = ["Comment", "ParseResult", "parse"]
