"""Formatted output of a few messy inputs, kept as golden files beside the inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import assert_golden
from tmdiag.fmt import format_text

CASES = sorted((Path(__file__).parent / "cases").glob("*.tm"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_output(case: Path) -> None:
    formatted = format_text(case.read_text(encoding="utf-8"), case.name)
    assert_golden(formatted, case.parent.parent / "expected" / case.name)
    assert format_text(formatted, case.name) == formatted


def test_cases_exist() -> None:
    assert len(CASES) >= 3
