"""`tmdiag report` vs pytm's `report()` (its basic template) on the same generated system.

Every measurement runs in its own subprocess (peak RSS = the child's, plus Graphviz for tmdiag).
pytm's report() deep-copies every finding per element, so it is super-linear; it runs with a
timeout. pytm 1.4.0's report() also crashes (`'Data' object has no attribute 'name'`) when one
`Data` object is carried by 3+ flows, as in the generated system; the pytm side therefore gives
each flow its own copy of the data asset (same name and classification), which is what a pytm
user has to do today.

Printed: pytm (resolve + report) vs tmdiag (whole `tmdiag report`: load, threats, lint, diagram,
render, write) at 58 elements, both the end-to-end ratio and the report-rendering-only ratio; then
`tmdiag report` alone at 1,000 and 3,000 elements (BENCH_SIZES overrides) with peak memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTM_SIZE = 58
PYTM_TIMEOUT = float(os.environ.get("BENCH_PYTM_TIMEOUT", "600"))
TMDIAG_TIMEOUT = float(os.environ.get("BENCH_TMDIAG_TIMEOUT", "1800"))
TEMPLATE = HERE / "pytm_basic_template.md"  # pytm's docs/basic_template.md (not shipped in the wheel)
TODAY = "2026-11-27"


def _peak_mb() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child_tmdiag(n: int, workdir: str) -> dict[str, float]:
    """In a fresh process: write the .tm file, run `tmdiag report` in-process, time its phases."""
    import datetime
    import time

    from generate import system, to_tm

    from tmdiag.api import check_file
    from tmdiag.cli.report import gather
    from tmdiag.report import ReportInputs, render_report, write_report

    path = Path(workdir) / f"generated-{n}.tm"
    path.write_text(to_tm(system(n)), encoding="utf-8")
    today = datetime.date.fromisoformat(TODAY)
    start = time.perf_counter()
    model, _ = check_file(path)
    assert model is not None
    loaded = time.perf_counter()
    found = gather(model, today)
    analysed = time.perf_counter()
    inputs = ReportInputs(model, findings=found.findings, lint_diagnostics=found.lint_diagnostics,
                          diagram_svg=found.diagram_svg.decode("utf-8"), diagram_notes=found.diagram_notes,
                          today=today)  # fmt: skip
    files = render_report(inputs)
    write_report(Path(workdir) / "out", files)
    done = time.perf_counter()
    return {"total": done - start, "load": loaded - start, "analyse": analysed - loaded,
            "report": done - analysed, "findings": len(found.findings),
            "html_mb": len(files["report.html"]) / 1e6, "peak_mb": _peak_mb()}  # fmt: skip


def child_pytm(n: int, workdir: str) -> dict[str, float]:
    """In a fresh process: build the same system in pytm, resolve, and render its basic template."""
    import time

    import pytm
    from generate import system, to_pytm

    tm = to_pytm(system(n))
    for flow in pytm.TM._flows:  # one Data per flow: report() crashes on a Data carried by 3+ flows
        flow.data = [pytm.Data(d.name, classification=d.classification, isPII=d.isPII) for d in flow.data]
    start = time.perf_counter()
    tm.check()
    tm.resolve()
    resolved = time.perf_counter()
    text = tm.report(str(TEMPLATE))
    done = time.perf_counter()
    (Path(workdir) / "pytm-report.md").write_text(text, encoding="utf-8")
    return {"total": done - start, "analyse": resolved - start, "report": done - resolved,
            "findings": len(tm.findings), "peak_mb": _peak_mb()}  # fmt: skip


def measure(tool: str, n: int, timeout: float) -> dict[str, float] | str:
    """Run one measurement in a subprocess; a dict of numbers, or a string saying why there are none."""
    with tempfile.TemporaryDirectory(prefix=f"bench-report-{tool}-") as workdir:
        command = [sys.executable, str(Path(__file__).resolve()), tool, str(n), workdir]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout:.0f} s"
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            return f"failed: {last[:160]}"
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def _row(label: str, result: dict[str, float] | str) -> str:
    if isinstance(result, str):
        return f"{label:<34} {result}"
    return (f"{label:<34} {result['total']:>8.2f} s  (analysis {result['analyse']:.2f} s, report "
            f"{result['report']:.2f} s)  peak {result['peak_mb']:>7.0f} MB  "
            f"{int(result['findings']):>7,} findings")  # fmt: skip


def run(sizes: list[int] | None = None) -> None:
    print(f"pytm report() with its basic template vs `tmdiag report`, {PYTM_SIZE} elements (same system)")
    ours = measure("tmdiag", PYTM_SIZE, TMDIAG_TIMEOUT)
    print(_row(f"tmdiag report ({PYTM_SIZE})", ours), flush=True)
    theirs = measure("pytm", PYTM_SIZE, PYTM_TIMEOUT)
    print(_row(f"pytm resolve + report() ({PYTM_SIZE})", theirs), flush=True)
    if isinstance(ours, dict) and isinstance(theirs, dict):
        print(f"ratio, end to end (pytm resolve+report / whole tmdiag report): {theirs['total'] / ours['total']:.0f}x")
        print(f"ratio, report rendering only (pytm report() / tmdiag render+write): "
              f"{theirs['report'] / ours['report']:.0f}x   (target: at least 100x)")  # fmt: skip
        print(f"peak memory: pytm {theirs['peak_mb']:.0f} MB, tmdiag {ours['peak_mb']:.0f} MB")
    for n in sizes or [1000, 3000]:
        print(_row(f"tmdiag report ({n:,})", measure("tmdiag", n, TMDIAG_TIMEOUT)), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    tool, size, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    numbers = child_tmdiag(size, folder) if tool == "tmdiag" else child_pytm(size, folder)
    print(json.dumps(numbers))
