"""docs/security.md says what the code does: its limits table is tmdiag/limits.py, and the threat
model it describes (examples/tmdiag.tm) is built by tmdiag into a report."""

from __future__ import annotations

import re
from pathlib import Path

from tests.report.conftest import report
from tmdiag import limits
from tmdiag.inputs import size_text

DOC = Path("docs/security.md").read_text(encoding="utf-8")


def _shown(value: int) -> str:
    return size_text(value) if value >= limits.MIB else f"{value:,}"


def test_the_limits_table_is_the_limits_module() -> None:
    names = [n for n in dir(limits) if n.startswith("MAX_")]
    rows = dict(re.findall(r"^\| `(MAX_\w+)` \| ([^|]+?) \|", DOC, re.MULTILINE))
    assert sorted(rows) == sorted(names), "every limit documented, nothing else"
    for name in names:
        assert rows[name] == _shown(getattr(limits, name)), name


def test_the_tools_own_threat_model_builds_into_a_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert report("examples/tmdiag.tm", out) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    for text in ("Hostile contributor", "CI secrets", "Sandboxed, confined templates", "Atomic writes",
                 "Input limits", "Model text made safe for every output"):  # fmt: skip
        assert text in html, text
    assert "DO01" in html and "accepted" in html  # the residual risk: templates can loop
    assert "tmdiag.tm" in DOC and "examples/tmdiag.tm" in DOC
