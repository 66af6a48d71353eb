"""Shared fixtures: reports of the example and of the hostile-label model, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdiag.cli import main

HERE = Path(__file__).resolve().parent
EXAMPLE = "examples/checkout.tm"
HOSTILE = str(HERE / "hostile.tm")
TODAY = "2026-11-27"


def report(model: str, out: Path, *extra: str) -> int:
    """Run `tmdiag report` in-process; returns the exit code."""
    return main(["report", model, "-o", str(out), "--today", TODAY, "-q", *extra])


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example-report")
    assert report(EXAMPLE, out) == 0
    return out


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report")
    assert report(HOSTILE, out) == 0
    return out
