"""docs/rules/ is generated from the registry; this test fails when they drift apart."""

from __future__ import annotations

from pathlib import Path

from devtools import generate
from tmdiag.lint.registry import all_rules

RULES = [generate.RULES_DOCS]


def test_docs_rules_are_up_to_date() -> None:
    assert generate.stale(generate.REPO, RULES) == [], "run `make docs` and commit docs/rules/"


def test_generation_writes_index_and_a_page_per_rule(tmp_path: Path) -> None:
    folder = tmp_path / "docs/rules"
    folder.mkdir(parents=True)
    (folder / "TM000.md").write_text("retired page")
    assert Path("docs/rules/TM000.md") in generate.stale(tmp_path, RULES)
    generate.write(tmp_path, RULES)
    names = sorted(p.name for p in folder.glob("*.md"))
    assert names == sorted(["index.md", *(f"{r.code}.md" for r in all_rules())])
    index = (folder / "index.md").read_text()
    assert "[TM203](TM203.md)" in index and "## TM4xx Cloud control plane" in index
    page = (folder / "TM401.md").read_text()
    assert "## How to fix it" in page and "0.0.0.0/0:22" in page
    assert generate.stale(tmp_path, RULES) == []
    (folder / "TM401.md").write_text("edited by hand")
    assert generate.stale(tmp_path, RULES) == [Path("docs/rules/TM401.md")]


def test_rule_metadata_is_complete() -> None:
    rules = all_rules()
    assert len(rules) >= 25
    assert len({r.name for r in rules}) == len(rules)
    for rule in rules:
        assert rule.code[:2] == "TM" and len(rule.code) == 5 and rule.code[2:].isdigit()
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary.endswith(".") and rule.rationale and rule.fix and rule.example.strip()
