"""The shipped examples are what new users copy: they must be clean everywhere."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tmdiag.api import check_file
from tmdiag.diagnostics import Severity
from tmdiag.fmt import format_text
from tmdiag.lint import lint
from tmdiag.threats import analyze

EXAMPLES = sorted(Path("examples").rglob("*.tm"))  # examples/three-tier/model.tm too
TODAY = datetime.date(2026, 11, 27)


def test_there_are_three_examples_at_least() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_valid_lint_clean_and_formatted(path: Path) -> None:
    model, diagnostics = check_file(path, lint=False)
    assert model is not None and diagnostics == []
    problems = [d for d in lint(model, today=TODAY) if d.severity >= Severity.WARNING]
    assert problems == []
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_decisions_are_current(path: Path) -> None:
    model, _ = check_file(path, lint=False)
    assert model is not None
    analysis = analyze(model, today=TODAY)
    assert [d for d in analysis.diagnostics if d.severity >= Severity.WARNING] == []
    assert any(f.status != "open" for f in analysis.findings)
