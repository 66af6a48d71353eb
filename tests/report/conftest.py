"""Shared fixtures: reports of the example and of the hostile-label model, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdiag.cli import main
from tmdiag.diagram import Diagram

HERE = Path(__file__).resolve().parent
EXAMPLE = "examples/checkout.tm"
HOSTILE = str(HERE / "hostile.tm")
TODAY = "2026-11-27"


def split_report(model_path: str | Path) -> tuple[Diagram, dict[str, bytes]]:
    """The report of a model drawn as an overview plus per-boundary views (split at 2 elements)."""
    import datetime

    import tmdiag
    from tmdiag.diagram import render
    from tmdiag.report import ReportInputs, render_report

    model = tmdiag.load(model_path)
    diagram = render(model, fmt="svg", split_at=2)
    views = [(bid, data.decode()) for bid, data in diagram.views]
    inputs = ReportInputs(model, diagram_svg=diagram.data.decode(), diagram_notes=diagram.notes,
                          diagram_views=views, today=datetime.date(2026, 11, 27))  # fmt: skip
    return diagram, render_report(inputs)


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
