"""`tmdiag threats` against raw pytm on the same generated systems.

tmdiag's whole path: parse + validate the `.tm` text, compile to pytm, enumerate threats, explain,
rank and apply decisions (`check_text` + `threats.analyze`). Raw pytm: build the same system
with pytm objects (`generate.to_pytm`), `check()` and `resolve()`. Each side runs `REPEAT` times,
interleaved, and the best time counts (the machine is shared; the best run is the least disturbed).
Target: ratio ≤ 1.3 at 3,000 elements.
"""

from __future__ import annotations

import os
import time

import generate

SIZES = [100, 1000, 3000]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def _tmdiag(text: str) -> int:
    from tmdiag.api import check_text
    from tmdiag.threats import analyze

    model, _ = check_text(text)
    return len(analyze(model).findings)


def _pytm(spec: generate.Spec) -> int:
    tm = generate.to_pytm(spec)
    tm.check()
    tm.resolve()
    return len(tm.findings)


def run(sizes: list[int] | None = None) -> list[dict[str, float]]:
    results = []
    print(f"{'elements':>8} {'tmdiag s':>9} {'pytm s':>8} {'ratio':>6} {'tmdiag findings':>16} {'pytm findings':>14}")
    for size in sizes or SIZES:
        spec = generate.system(size)
        text = generate.to_tm(spec)
        best_tmdiag = best_pytm = float("inf")
        found_tmdiag = found_pytm = 0
        for _ in range(REPEAT):
            start = time.perf_counter()
            found_pytm = _pytm(spec)
            best_pytm = min(best_pytm, time.perf_counter() - start)
            start = time.perf_counter()
            found_tmdiag = _tmdiag(text)
            best_tmdiag = min(best_tmdiag, time.perf_counter() - start)
        ratio = best_tmdiag / best_pytm
        print(f"{size:>8} {best_tmdiag:>9.2f} {best_pytm:>8.2f} {ratio:>6.2f} {found_tmdiag:>16} {found_pytm:>14}",
              flush=True)  # fmt: skip
        results.append({"elements": size, "tmdiag": best_tmdiag, "pytm": best_pytm, "ratio": ratio})
    print("(findings differ where flows declare protocol/port/encryption: pytm 1.4's check() overwrites them with")
    print(" the sink's defaults, tmdiag keeps what the model says; see docs/threats.md)")
    return results


if __name__ == "__main__":
    run()
