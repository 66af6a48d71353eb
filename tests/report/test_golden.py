"""Golden files for a small purpose-built model (golden/small.tm): report.md and threats.json.

The model uses `rules: replace` (its own three rules) so the files stay short and do not move when
pytm's library does; it has a transferred, a mitigated (by a control) and an expired accepted risk,
an exclusion, a threat agent, a reply flow and Markdown metacharacters in labels. `--today` and
`--date` are fixed, the diagram is not drawn and the tool version is masked. Rewrite with
TMDIAG_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import assert_golden
from tests.report.conftest import TODAY
from tmdiag import __version__
from tmdiag.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
MODEL = "tests/report/golden/small.tm"  # relative: the path is part of the output


@pytest.fixture(scope="module")
def small_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small-report")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        # no diagram: the files then do not depend on Graphviz (report.md only links dfd.svg anyway)
        assert main(["report", MODEL, "-o", str(out), "--today", TODAY, "--date", TODAY, "--no-diagram", "-q"]) == 0
    return out


def test_report_md_golden(small_report: Path) -> None:
    text = (small_report / "report.md").read_text(encoding="utf-8")
    assert f"tmdiag {__version__} from" in text
    assert_golden(text.replace(f"tmdiag {__version__} from", "tmdiag VERSION from"), GOLDEN / "small.report.md")


def test_threats_json_golden(small_report: Path) -> None:
    assert_golden((small_report / "threats.json").read_text(encoding="utf-8"), GOLDEN / "small.threats.json")


def test_decision_and_mitigations_are_separate_paragraphs(small_report: Path) -> None:
    md = (small_report / "report.md").read_text(encoding="utf-8")
    assert "small.tm:71\n\nMitigations:" in md  # the decision line ends with where the decision is


def test_expired_acceptance_links_its_finding(small_report: Path) -> None:
    """An accepted risk past `until:` is open again, but it still matches its finding."""
    md = (small_report / "report.md").read_text(encoding="utf-8")
    accepted = md.split("## Accepted risks", 1)[1].split("\n## ", 1)[0]
    assert "| [Datastore holds card data](#threat-SM002-db) SM002 | [DB](#el-db) |" in accepted
    assert "2026-10-01 (**expired**)" in accepted
    html = (small_report / "report.html").read_text(encoding="utf-8")
    section = html.split('<h2 id="accepted">', 1)[1].split("<h2 ", 1)[0]
    assert 'href="#threat-SM002-db"' in section and "no matching finding" not in section
