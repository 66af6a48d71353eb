"""`tmdiag report` vs pytm's `report()` (its basic template) on the same generated system.

Every measurement runs in its own subprocess (peak RSS = the child's, plus Graphviz for tmdiag).
pytm's report() deep-copies every finding per element, so it is super-linear; it runs with a
timeout. pytm 1.4.0's report() also crashes (`'Data' object has no attribute 'name'`) when one
`Data` object is carried by 3+ flows, as in the generated system; the pytm side therefore runs
with identity hashing for `Data` (see `child_pytm`), which changes nothing else.

Printed, at 12 and 58 elements: pytm (resolve + report()) vs tmdiag (the whole `tmdiag report`:
load, threats, lint, diagram, render, write), as a report-rendering ratio and an end-to-end ratio.
pytm runs under a memory cap (deep copies grow with findings x model size); when it does not finish,
the ratio is a lower bound from the time it ran. Then `tmdiag report` alone at 1,000 and 3,000
elements (BENCH_SIZES overrides) with peak memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTM_SIZES = (12, 58)  # 58: the reference system; 12: a size where pytm finishes everywhere
PYTM_TIMEOUT = float(os.environ.get("BENCH_PYTM_TIMEOUT", "300"))
PYTM_MAX_GB = float(os.environ.get("BENCH_PYTM_MAX_GB", "4"))
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

    from generate import system, to_tm

    from tmdiag import pipeline
    from tmdiag.report import write_report

    path = Path(workdir) / f"generated-{n}.tm"
    path.write_text(to_tm(system(n)), encoding="utf-8")
    today = datetime.date.fromisoformat(TODAY)
    start = time.perf_counter()
    model = pipeline.load(path).require()
    loaded = time.perf_counter()
    found = pipeline.analyze(model, today=today)
    analysed = time.perf_counter()
    files = pipeline.report(found).files
    write_report(Path(workdir) / "out", files)
    done = time.perf_counter()
    return {"total": done - start, "load": loaded - start, "analyse": analysed - loaded,
            "report": done - analysed, "findings": len(found.findings),
            "html_mb": len(files["report.html"]) / 1e6, "peak_mb": _peak_mb()}  # fmt: skip


def child_pytm(n: int, workdir: str) -> dict[str, float]:
    """In a fresh process: build the same system in pytm, resolve, and render its basic template."""

    import pytm
    from generate import system, to_pytm

    # pytm 1.4.0's report() deep-copies each finding with the whole model behind it; when a Data is
    # carried by 3+ flows the copy hashes a half-built Data and crashes. Identity hashing (Data is
    # never compared by value in report()) lets the unchanged system render.
    pytm.Data.__hash__ = object.__hash__  # type: ignore[method-assign]
    tm = to_pytm(system(n))
    start = time.perf_counter()
    tm.check()
    tm.resolve()
    resolved = time.perf_counter()
    text = tm.report(str(TEMPLATE))
    done = time.perf_counter()
    (Path(workdir) / "pytm-report.md").write_text(text, encoding="utf-8")
    return {"total": done - start, "analyse": resolved - start, "report": done - resolved,
            "findings": len(tm.findings), "peak_mb": _peak_mb()}  # fmt: skip


def _cap_memory() -> None:
    import resource

    limit = int(PYTM_MAX_GB * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def measure(tool: str, n: int, timeout: float) -> tuple[dict[str, float] | str, float]:
    """Run one measurement in a subprocess: (numbers, or why there are none; wall seconds)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-report-{tool}-") as workdir:
        command = [sys.executable, str(Path(__file__).resolve()), tool, str(n), workdir]
        cap = _cap_memory if tool == "pytm" else None
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                                  preexec_fn=cap)  # fmt: skip
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout:.0f} s", time.perf_counter() - start
        wall = time.perf_counter() - start
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            if "MemoryError" in done.stderr:
                last = f"ran out of its {PYTM_MAX_GB:g} GB memory cap"
            return f"failed after {wall:.0f} s: {last[:140]}", wall
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result, wall


def _row(label: str, result: dict[str, float] | str) -> str:
    if isinstance(result, str):
        return f"{label:<34} {result}"
    return (f"{label:<34} {result['total']:>8.2f} s  (analysis {result['analyse']:.2f} s, report "
            f"{result['report']:.2f} s)  peak {result['peak_mb']:>7.0f} MB  "
            f"{int(result['findings']):>7,} findings")  # fmt: skip


def compare(n: int) -> None:
    ours, _ = measure("tmdiag", n, TMDIAG_TIMEOUT)
    print(_row(f"tmdiag report ({n})", ours), flush=True)
    theirs, wall = measure("pytm", n, PYTM_TIMEOUT)
    print(_row(f"pytm resolve + report() ({n})", theirs), flush=True)
    if not isinstance(ours, dict):
        return
    if isinstance(theirs, dict):
        print(f"  ratio, report rendering (pytm report() / tmdiag render + write): "
              f"{theirs['report'] / ours['report']:.0f}x   (target: at least 100x)")  # fmt: skip
        print(f"  ratio, end to end (pytm resolve + report() / whole tmdiag report): "
              f"{theirs['total'] / ours['total']:.0f}x; peak memory pytm {theirs['peak_mb']:.0f} MB, "
              f"tmdiag {ours['peak_mb']:.0f} MB")  # fmt: skip
    else:
        print(f"  ratio, report rendering: more than {wall / ours['report']:.0f}x (pytm did not finish); "
              f"end to end: more than {wall / ours['total']:.0f}x")  # fmt: skip


def run(sizes: list[int] | None = None) -> None:
    print("pytm report() with its basic template vs `tmdiag report` on the same generated system")
    print(f"(pytm runs with a {PYTM_TIMEOUT:.0f} s timeout and a {PYTM_MAX_GB:g} GB memory cap: "
          "BENCH_PYTM_TIMEOUT, BENCH_PYTM_MAX_GB)")  # fmt: skip
    for n in PYTM_SIZES:
        compare(n)
    for n in sizes or [1000, 3000]:
        print(_row(f"tmdiag report ({n:,})", measure("tmdiag", n, TMDIAG_TIMEOUT)[0]), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    tool, size, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    numbers = child_tmdiag(size, folder) if tool == "tmdiag" else child_pytm(size, folder)
    print(json.dumps(numbers))
