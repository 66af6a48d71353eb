"""`tmdiag diagram` against pytm's own DFD on the same generated systems, in the same run.

tmdiag: parse + validate the `.tm` text, then `render(model, fmt="svg")` (diagrams + pydot + Graphviz
`dot`, icons inlined). pytm: build the same system (`generate.to_pytm`), `check()`, `dfd()` and pipe
the DOT to `dot -Tsvg` — plain, as pytm's docs do, and with `-Gnewrank=true`. pytm's nested-cluster
DFD is known to crash dot 2.43 ("trouble in init_rank"); a crash or a timeout is reported, not raised.
BENCH_DOT_TIMEOUT (default 300 s) bounds each Graphviz run.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import time

import generate

SIZES = [50, 200, 500]
TIMEOUT = float(os.environ.get("BENCH_DOT_TIMEOUT", "300"))


def _tmdiag(text: str, style: str) -> tuple[float, str]:
    from tmdiag.api import loads
    from tmdiag.diagram import DiagramError, render

    start = time.perf_counter()
    try:
        diagram = render(loads(text), fmt="svg", style=style, timeout=TIMEOUT)
    except DiagramError as error:
        return time.perf_counter() - start, f"FAILED: {str(error)[:60]}"
    status = f"ok, {len(diagram.data) / 1e6:.1f} MB" + (" (fallback)" if diagram.notes else "")
    return time.perf_counter() - start, status


def _pytm(spec: generate.Spec, extra: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    tm = generate.to_pytm(spec)
    tm.check()
    with contextlib.redirect_stdout(io.StringIO()):
        source = tm.dfd()
    try:
        done = subprocess.run(["dot", "-Tsvg", *extra], input=source.encode(), capture_output=True, timeout=TIMEOUT,
                              check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, f"TIMEOUT > {TIMEOUT:.0f} s"
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[0]
        return elapsed, f"CRASHED (exit {done.returncode}): {first[:40]}"
    return elapsed, f"ok, {len(done.stdout) / 1e6:.1f} MB"


def run(sizes: list[int] | None = None) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    print(f"{'elements':>8} {'flows':>6}  {'tool':<28} {'seconds':>8}  result")
    for size in sizes or SIZES:
        spec = generate.system(size)
        text = generate.to_tm(spec)
        runs = [("tmdiag diagram (dfd)", "dfd"), ("tmdiag diagram (cloud)", "cloud"), ("pytm dfd | dot", ""),
                ("pytm dfd | dot -Gnewrank=true", "-Gnewrank=true")]  # fmt: skip
        for tool, option in runs:
            if tool.startswith("tmdiag"):
                seconds, status = _tmdiag(text, option)
            else:
                seconds, status = _pytm(spec, [option] if option else [])
            print(f"{size:>8} {len(spec.flows):>6}  {tool:<28} {seconds:>8.2f}  {status}", flush=True)
            results.append({"elements": size, "tool": tool, "seconds": seconds, "result": status})
    return results


if __name__ == "__main__":
    run()
