"""docs/rules/ is generated from the registry; this test fails when they drift apart."""

from __future__ import annotations

from pathlib import Path

from tmdiag.lint import docs
from tmdiag.lint.registry import all_rules


def test_docs_rules_are_up_to_date() -> None:
    assert docs.stale() == [], "run `python -m tmdiag.lint.docs` and commit docs/rules/"


def test_generation_writes_index_and_a_page_per_rule(tmp_path: Path) -> None:
    (tmp_path / "TM000.md").write_text("retired page")
    assert docs.main(["--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.md"))
    assert names == sorted(["index.md", *(f"{r.code}.md" for r in all_rules())])
    index = (tmp_path / "index.md").read_text()
    assert "[TM203](TM203.md)" in index and "## TM4xx Cloud control plane" in index
    page = (tmp_path / "TM401.md").read_text()
    assert "## How to fix it" in page and "0.0.0.0/0:22" in page
    assert docs.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "TM401.md").write_text("edited by hand")
    assert docs.main(["--check", "--out", str(tmp_path)]) == 1


def test_rule_metadata_is_complete() -> None:
    rules = all_rules()
    assert len(rules) >= 25
    assert len({r.name for r in rules}) == len(rules)
    for rule in rules:
        assert rule.code[:2] == "TM" and len(rule.code) == 5 and rule.code[2:].isdigit()
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary.endswith(".") and rule.rationale and rule.fix and rule.example.strip()
