"""`tmdiag check` against pytm on the same generated system (bench/generate.py).

tmdiag: load + validate (`tmdiag.api.check_file`: read, parse, build the typed model, resolve names,
check every attribute against the schema), in process; and the CLI's wall time including start-up
(`tmdiag check --no-lint`, and the full `tmdiag check` with lint rules).
pytm: build the same system with pytm's own classes, then `check()` + `resolve()`.
Times are the best of REPEAT runs; peak memory is measured in a separate run with tracemalloc.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from generate import Spec, system, to_pytm, to_tm

from tmdiag.api import check_file

REPEAT = 3
TARGET_RATIO = 3.0  # check must be at least this much faster than pytm at 3,000 elements


def best_time(work: Callable[[], object], repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(work: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def tmdiag_check(path: Path) -> None:
    model, diagnostics = check_file(path)
    if model is None or diagnostics:
        raise SystemExit(f"generated model has problems: {diagnostics[:3]}")


def pytm_check(spec: Spec) -> None:
    tm = to_pytm(spec)
    tm.check()
    tm.resolve()


def cli_seconds(path: Path, *options: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tmdiag", "check", "-q", *options, str(path)], capture_output=True, text=True
    )
    took = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"tmdiag check failed: {result.stderr}")
    return took


def run(sizes: list[int] | None = None) -> None:
    header = (
        f"{'elements':>8} {'flows':>6} {'lines':>6} | {'tmdiag s':>8} {'pytm s':>7} {'ratio':>6} | "
        f"{'tmdiag MiB':>10} {'pytm MiB':>8} | {'CLI s':>6} {'CLI+lint s':>10}"
    )
    print(header)
    print("-" * len(header))
    ratios: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="tmdiag-bench-") as folder:
        for n in sizes or [100, 1000, 3000]:
            spec = system(n)
            path = Path(folder) / f"generated-{n}.tm"
            text = to_tm(spec)
            path.write_text(text, encoding="utf-8")
            tmdiag_check(path)  # warm-up: grammar cache, threat catalogue
            ours = best_time(lambda path=path: tmdiag_check(path))  # type: ignore[misc]
            theirs = best_time(lambda spec=spec: pytm_check(spec), repeat=1 if n >= 3000 else REPEAT)  # type: ignore[misc]
            our_mem = peak_mib(lambda path=path: tmdiag_check(path))  # type: ignore[misc]
            their_mem = peak_mib(lambda spec=spec: pytm_check(spec))  # type: ignore[misc]
            cli = cli_seconds(path, "--no-lint")
            cli_lint = cli_seconds(path)
            ratios[n] = theirs / ours
            print(
                f"{n:>8} {len(spec.flows):>6} {text.count(chr(10)):>6} | {ours:>8.3f} {theirs:>7.3f} "
                f"{ratios[n]:>5.1f}x | {our_mem:>10.1f} {their_mem:>8.1f} | {cli:>6.2f} {cli_lint:>10.2f}",
                flush=True,
            )
    if 3000 in ratios:
        verdict = "met" if ratios[3000] >= TARGET_RATIO else "MISSED"
        print(f"target: check >= {TARGET_RATIO:.0f}x faster than pytm at 3,000 elements: {verdict}")


if __name__ == "__main__":
    run([int(a) for a in sys.argv[1:]] or None)
