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


SMALL_PAGES = {"PAGED_ABOVE": 10, "THREATS_PER_PAGE": 25, "ELEMENTS_PER_PAGE": 4, "FLOWS_PER_PAGE": 5,
               "PLAN_ROWS_PER_PAGE": 20, "PLAN_PREVIEW": 2, "LINT_IN_REPORT": 1, "LINT_PER_PAGE": 2}  # fmt: skip


def paged_report(model_path: str | Path, today: str = TODAY) -> dict[str, bytes]:
    """The report of a model split into linked pages as a big model's is (tmdiag.report.pages), with
    page sizes shrunk so that the example needs several pages of each kind; per-boundary views too."""
    import datetime
    from dataclasses import replace

    from tmdiag import pipeline
    from tmdiag.diagram import render
    from tmdiag.report import pages, render_report

    analysis = pipeline.analyze(pipeline.load(model_path), today=datetime.date.fromisoformat(today))
    diagram = render(analysis.model, fmt="svg", split_at=2)
    views = [(bid, data.decode()) for bid, data in diagram.views]
    inputs = replace(pipeline.report_inputs(analysis), diagram_svg=diagram.data.decode(), diagram_views=views)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL_PAGES.items():
            patch.setattr(pages, name, value)
        return render_report(inputs)


@pytest.fixture(scope="session")
def paged_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tmdiag.report import write_report

    out = tmp_path_factory.mktemp("paged-report")
    write_report(out, paged_report(EXAMPLE, today="2027-06-01"))  # the example's `due: 2027-01-15` is overdue
    return out
