"""`tmdiag fmt` never changes what an inline suppression covers (editors new-user report, item 1).

A trailing `# tmdiag: ignore[…]` covers its line, and a statement that starts there whole. When fmt
opens a long one-line block, the comment stays on the statement's first line; the safety check
compares what every suppression covers before and after, so a layout bug is refused, not shipped.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import tmdiag.fmt as fmt
from tests.fmt.test_mutations import mutate
from tests.golden import assert_golden
from tmdiag import pipeline
from tmdiag.cli import main
from tmdiag.fmt import SyntaxProblems, UnsafeFormat, format_text
from tmdiag.syntax import ParseResult

ROOT = Path(__file__).resolve().parents[2]
WITH_SUPPRESSIONS = sorted(
    p
    for p in [*ROOT.glob("examples/**/*.tm"), *ROOT.glob("dsl/**/*.tm"), *ROOT.glob("tests/**/*.tm")]
    if b"tmdiag: ignore" in p.read_bytes() and "node_modules" not in p.parts
)
CASE = Path(__file__).parent / "cases" / "suppressions.tm"


def findings(text: str, path: Path) -> list[tuple[str, str]]:
    """What `tmdiag check` reports for the text, without places (formatting moves lines)."""
    loaded = pipeline.load_text(text, str(path), path.parent)
    return sorted((d.code, d.message.split(" on line ")[0]) for d in pipeline.check(loaded))


def test_there_are_files_with_suppressions() -> None:
    assert len(WITH_SUPPRESSIONS) >= 10 and CASE in WITH_SUPPRESSIONS


@pytest.mark.parametrize("path", WITH_SUPPRESSIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_formatting_keeps_every_finding_and_suppression(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    try:
        formatted = format_text(text, str(path))
    except SyntaxProblems:
        pytest.skip("a file with syntax errors on purpose")
    assert findings(formatted, path) == findings(text, path)


def test_the_reported_cases_keep_the_comment_on_the_first_line() -> None:
    formatted = format_text(CASE.read_text(encoding="utf-8"), CASE.name)
    lines = formatted.splitlines()
    login = next(line for line in lines if line.startswith("login:"))
    assert login.endswith("{  # tmdiag: ignore[TM201] reason: login is how the user authenticates")
    legacy = next(line for line in lines if "process legacy" in line)
    assert legacy.endswith("{  # tmdiag: ignore[TM208] reason: decommissioned next quarter")
    assert not any(line.lstrip().startswith("}  #") for line in lines)  # never on a closing brace
    # nothing the suppressions silenced comes back, and none of them turns into TM902
    after = findings(formatted, CASE)
    assert after == findings(CASE.read_text(encoding="utf-8"), CASE)
    assert not {"TM201", "TM202", "TM208", "TM404", "TM102", "TM902"} & {code for code, _ in after}


@pytest.mark.parametrize("seed", range(24))
def test_mutated_files_with_suppressions_keep_their_findings(seed: int) -> None:
    """Random joins and line breaks (tests/fmt/test_mutations.py) on files with suppressions."""
    rng = random.Random(seed)
    path = rng.choice(WITH_SUPPRESSIONS)
    mutated = mutate(path.read_text(encoding="utf-8-sig"), rng, rate=0.1)
    try:
        formatted = format_text(mutated, str(path))
    except SyntaxProblems:
        return
    except UnsafeFormat as refused:  # a join put two statements and a suppression on one line
        assert not refused.bug and "holds several statements" in str(refused)
        return
    assert findings(formatted, path) == findings(mutated, path)


def test_a_layout_that_moves_a_suppression_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt.layout

    def layout(result: ParseResult) -> str:  # the old bug: the comment on the closing brace
        text = real(result)
        return re.sub(r"\{  (# tmdiag: [^\n]*)\n((?:  [^\n]*\n)*)\}", r"{\n\2}  \1", text)

    monkeypatch.setattr(fmt, "layout", layout)
    with pytest.raises(UnsafeFormat) as caught:
        format_text(CASE.read_text(encoding="utf-8"), CASE.name)
    assert caught.value.bug
    assert "the suppression of TM208 on line 15 covers `legacy`; formatted, it would cover nothing" in str(caught.value)


SHARED = """\
boundary internet "Internet" { trust: untrusted, actor user "User" }  # tmdiag: ignore[TM208] reason: a demo actor
"""


def test_several_statements_on_a_suppressed_line_are_refused_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "shared.tm"
    path.write_text(SHARED)
    assert main(["fmt", str(path)]) == 2
    assert path.read_text() == SHARED  # left untouched
    err = capsys.readouterr().err.replace(str(tmp_path), "<tmp>")
    assert_golden(err, Path(__file__).parent / "expected" / "shared_suppression.stderr")
    assert "internal error" not in err


def test_a_comment_inside_a_suppressed_statement_does_not_come_between_them() -> None:
    """Mutation test finding: a comment line inside `datastore db … "DB" {…}` went above the joined
    statement, between it and its suppression (fmt refused its own output as a bug)."""
    text = (
        'actor a "A"\n# tmdiag: ignore[TM301] reason: tokenised\ndatastore db\n# own line\n"DB" { stores: [x] }\n'
        'data x "X" { classification: secret }\na -> db "W" { data: [x] }\n'
    )
    formatted = format_text(text, "own.tm")
    assert "# tmdiag: ignore[TM301] reason: tokenised\ndatastore db" in formatted
    assert "# own line" in formatted
    assert findings(formatted, ROOT / "own.tm") == findings(text, ROOT / "own.tm")
