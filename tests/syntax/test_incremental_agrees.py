"""The language server's incremental parse and `parse()` report the same syntax errors."""

from __future__ import annotations

import pytest

from tmdiag.syntax import parse
from tmdiag.syntax.incremental import IncrementalParse

# Statements the recovery scan cuts at a keyword misused as an id; both parsers join them back.
CASES = [
    "process external team {\n}\nactor b\n",
    'data \n\nscore "Fraud score" { classification: secret }\nactor x { y: }\n',
    'actor data "Data"\nactor b { port: }\n',
]


@pytest.mark.parametrize("text", CASES)
def test_same_diagnostics_and_statements(text: str) -> None:
    whole, incremental = parse(text, "m.tm"), IncrementalParse(text, "m.tm")
    assert whole.diagnostics == incremental.diagnostics()
    assert len(whole.statements) == len(incremental.statements())
