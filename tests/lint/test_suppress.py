"""Inline suppressions: where they apply, reasons, unused and malformed ones, imported files."""

from __future__ import annotations

import datetime
from pathlib import Path

from tmdiag.api import check_file, check_text
from tmdiag.fmt import format_text
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig

TODAY = datetime.date(2026, 11, 27)
SELF_FLOW = 'process api "API"\n'


def codes(text: str, config: LintConfig | None = None) -> list[tuple[str, int]]:
    model, _ = check_text(text, "m.tm", lint=False)
    return [(d.code, d.span.line) for d in lint(model, config or LintConfig(select=("TM206", "TM9")), TODAY)]


def test_unsuppressed_finding_is_reported() -> None:
    assert codes(SELF_FLOW + 'api -> api "Retry"\n') == [("TM206", 2)]


def test_trailing_comment_suppresses_its_line() -> None:
    assert codes(SELF_FLOW + 'api -> api "Retry"  # tmdiag: ignore[TM206] reason: retry loop\n') == []


def test_comment_alone_covers_the_next_code_line_even_below_other_comments() -> None:
    text = SELF_FLOW + '# tmdiag: ignore[TM206] reason: retry loop\n# another note\napi -> api "Retry"\n'
    assert codes(text) == []


def test_comment_alone_does_not_reach_two_lines_down() -> None:
    text = SELF_FLOW + '# tmdiag: ignore[TM206] reason: retry loop\nprocess b "B"\napi -> api "Retry"\n'
    assert codes(text) == [("TM902", 2), ("TM206", 4)]


def test_several_codes_case_insensitive() -> None:
    text = SELF_FLOW + 'api -> api "Retry"  # TMDIAG: ignore[tm206, TM207] reason: retry loop\n'
    assert codes(text) == []
    assert codes(text, LintConfig(select=("TM206", "TM207", "TM9"))) == [("TM902", 2)]  # TM207 suppresses nothing


def test_a_suppression_without_a_reason_suppresses_nothing() -> None:
    for comment in (
        "# tmdiag: ignore[TM206]",
        "# tmdiag: ignore[TM206] reason:   ",
        "# tmdiag: ignore[TM206] reason: -",
    ):
        assert codes(SELF_FLOW + f'api -> api "Retry"  {comment}\n') == [("TM206", 2), ("TM901", 2)], comment


def test_a_suppression_without_a_reason_suppresses_nothing_whatever_is_selected() -> None:
    """Issue 11: `select = ["TM1", "TM2"]` switched TM901 off, and the bare suppression then silenced TM206."""
    text = SELF_FLOW + 'api -> api "Retry"  # tmdiag: ignore[TM206]\n'
    for select in (("TM1", "TM2"), ("TM206",), ("TM2", "TM902", "TM903")):
        assert ("TM206", 2) in codes(text, LintConfig(select=select)), select
    assert ("TM206", 2) in codes(text, LintConfig(select=("TM2",), ignore=("TM901",)))
    # with a reason it suppresses, whatever is selected
    reasoned = SELF_FLOW + 'api -> api "Retry"  # tmdiag: ignore[TM206] reason: retry loop\n'
    assert ("TM206", 2) not in codes(reasoned, LintConfig(select=("TM1", "TM2")))


def test_unused_is_not_reported_for_rules_that_are_off() -> None:
    text = SELF_FLOW + 'process b "B"  # tmdiag: ignore[TM203] reason: not our concern\n'
    assert codes(text) == []
    assert codes(text, LintConfig(select=("TM203", "TM9"))) == [("TM902", 2)]


def test_malformed_suppressions() -> None:
    text = (
        SELF_FLOW
        + 'api -> api "Retry"  # tmdiag: ignore reason: noisy\n# tmdiag: ignore[TM999, TM206]\napi -> api "Again"\n'
    )
    found = codes(text)
    assert ("TM903", 2) in found and ("TM206", 2) in found  # blanket suppression does nothing
    assert ("TM903", 3) in found and ("TM901", 3) in found and ("TM206", 4) in found  # no reason: suppresses nothing
    reasoned = text.replace("TM206]\n", "TM206] reason: a retry loop\n")
    assert ("TM903", 3) in codes(reasoned) and ("TM206", 4) not in codes(reasoned)  # the known code still applies


def test_meta_rules_cannot_be_suppressed() -> None:
    text = SELF_FLOW + 'api -> api "Retry"  # tmdiag: ignore[TM206, TM901]\n'
    assert ("TM901", 2) in codes(text)


def test_ordinary_comments_are_not_suppressions() -> None:
    assert codes(SELF_FLOW + 'api -> api "Retry"  # tmdiag ignores nothing here\n') == [("TM206", 2)]


def test_suppression_in_an_imported_file(tmp_path: Path) -> None:
    (tmp_path / "lib.tm").write_text('process lib "Lib"\nlib -> lib "Loop"  # tmdiag: ignore[TM206] reason: a loop\n')
    (tmp_path / "main.tm").write_text('import "lib.tm"\nprocess api "API"\napi -> lib "Call"\n')
    model, diagnostics = check_file(tmp_path / "main.tm", lint=False)
    assert model is not None and not diagnostics
    assert [d.code for d in lint(model, LintConfig(select=("TM206", "TM9")), TODAY)] == []


DOCUMENTED_SETUP = """\
team { ann "Ann" security_lead }
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary prod "Prod" { trust: high  process api "API"  process worker "Worker" }
api -> worker "Job" { encrypted: true, authenticated: true }
"""


def documented_example() -> str:
    """The second ```tm block of docs/rules/index.md (several codes, stacked comments, a multi-line flow)."""
    page = (Path(__file__).parents[2] / "docs/rules/index.md").read_text(encoding="utf-8")
    return page.split("```tm\n")[2].split("```")[0]


def test_the_documented_suppressions_work() -> None:
    example = documented_example()
    assert "ignore[TM208, TM209]" in example and "port: 80" in example
    everything = LintConfig(select=("TM2", "TM9"))
    unsuppressed = codes(DOCUMENTED_SETUP + example.replace("# tmdiag: ignore", "# ignore"), everything)
    assert {c for c, _ in unsuppressed} >= {"TM201", "TM202", "TM208", "TM209"}  # each comment has work to do
    assert codes(DOCUMENTED_SETUP + example, everything) == []  # and no TM902: every code was used


def test_several_codes_in_one_comment_each_count_as_used() -> None:
    text = SELF_FLOW + 'api -> api "Retry"  # tmdiag: ignore[TM206, tm207] reason: retry loop\n'
    assert codes(text, LintConfig(select=("TM206", "TM207", "TM9"))) == [("TM902", 2)]  # TM207 suppresses nothing


def test_a_comment_beside_an_attribute_of_a_multi_line_flow_covers_the_flow() -> None:
    """A suppression covers the statements with code on its line, wherever their findings are reported."""
    text = SELF_FLOW + 'api -> api "Retry" {\n  port: 1  # tmdiag: ignore[TM206] reason: retry loop\n}\n'
    assert codes(text) == []


def test_a_comment_on_a_closing_brace_covers_nothing() -> None:
    text = SELF_FLOW + 'api -> api "Retry" {\n  port: 1\n}  # tmdiag: ignore[TM206] reason: retry loop\n'
    assert codes(text) == [("TM206", 2), ("TM902", 4)]


def test_a_statement_opened_up_by_fmt_stays_covered() -> None:
    """`tmdiag fmt` opens a long one-line block: findings on its attributes stay suppressed."""
    one_line = (
        'boundary prod "Prod" { trust: high\n'
        f'  process app "App" {{ admin: true, description: "{"x" * 80}" }}'
        "  # tmdiag: ignore[TM404] reason: SSO MFA\n}\n"
    )
    select = LintConfig(select=("TM404", "TM9"))
    assert codes(one_line.replace("# tmdiag:", "# was:"), select) == [("TM404", 2)]  # on the attribute
    opened = format_text(one_line)
    assert "{  # tmdiag: ignore[TM404]" in opened and "\n    admin: true" in opened
    assert codes(one_line, select) == codes(opened, select) == []
