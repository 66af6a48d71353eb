"""docs/language.md and dsl/SPEC.md: attribute tables match the schema; examples parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools import generate
from devtools.language_docs import DOCUMENTS, render
from tmdiag.api import check_text
from tmdiag.model import schema
from tmdiag.syntax import parse


def test_attribute_tables_match_the_schema() -> None:
    assert generate.stale(generate.REPO, [generate.LANGUAGE_DOCS]) == [], "out of date: run `make docs`"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_kind_has_a_table(name: str) -> None:
    text = Path(name).read_text(encoding="utf-8")
    for kind in schema.SCHEMAS:
        assert f"<!-- BEGIN schema:{kind} -->" in text, kind


def test_every_attribute_is_documented_in_the_language_reference() -> None:
    text = Path("docs/language.md").read_text(encoding="utf-8")
    for kind, attrs in schema.SCHEMAS.items():
        for attr in attrs:
            assert f"| `{attr.name}` |" in text, (kind, attr.name)


def test_render_regenerates_a_stale_table() -> None:
    stale = "<!-- BEGIN schema:assume -->\n| old |\n<!-- END schema:assume -->"
    fresh = render(stale)
    assert "| old |" not in fresh and "| `excludes` |" in fresh


# An example is a fragment: it may name things declared in another example or file, nothing else.
_FRAGMENT_CODES = {"E101", "E301", "E402"}


@pytest.mark.parametrize("name", ["docs/language.md", "dsl/SPEC.md", "README.md"])
def test_tm_examples_in_the_docs_parse_and_validate(name: str) -> None:
    blocks = re.findall(r"```tm\n(.*?)```", Path(name).read_text(encoding="utf-8"), re.DOTALL)
    assert blocks or name == "dsl/SPEC.md"
    for block in blocks:
        assert parse(block).diagnostics == (), block
        _, diagnostics = check_text(block, "example.tm", lint=False)
        assert [d.message for d in diagnostics if d.code not in _FRAGMENT_CODES] == [], block
