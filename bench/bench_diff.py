"""`tmdiag diff` on two versions of a generated 3,000-element system with 100 changes (40 flows
lose or gain encryption, 20 flows removed, 20 added, 20 elements moved to another boundary) against
two `tmdiag threats` runs on the same files: a diff loads and analyses both versions, so it should
cost about two threats runs, not more. Each side runs `REPEAT` times, interleaved; the best counts.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import tempfile
import time
from pathlib import Path

import generate

SIZES = [3000]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
CHANGES = {"encryption": 40, "removed flows": 20, "added flows": 20, "moved elements": 20}


def changed(spec: generate.Spec) -> generate.Spec:
    """The next version: 100 changes spread over the system."""
    new = copy.deepcopy(spec)
    step = max(1, len(new.flows) // 200)
    for i in range(CHANGES["encryption"]):
        src, dst, data, port, encrypted = new.flows[i * step]
        new.flows[i * step] = (src, dst, data, port, not encrypted)
    del new.flows[-CHANGES["removed flows"] :]
    n = len(new.elements)
    for i in range(CHANGES["added flows"]):
        new.flows.append((f"e{i * 31 % n}", f"e{(i * 31 + n // 2) % n}", "card", 443, False))
    boundaries = [b for b, _, _ in new.boundaries]
    for i in range(CHANGES["moved elements"]):
        eid, kind, boundary = new.elements[i * 17 % n]
        new.elements[i * 17 % n] = (eid, kind, boundaries[(boundaries.index(boundary) + 3) % len(boundaries)])
    return new


def _threats(path: str) -> int:
    from tmdiag import pipeline

    return len(pipeline.analyze(pipeline.load(path)).findings)  # as `tmdiag threats`: the register


def _diff(old: str, new: str) -> tuple[int, str]:
    from tmdiag.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["diff", old, new, "--format", "json"])
    return code, out.getvalue()


def run(sizes: list[int] | None = None) -> list[dict[str, float]]:
    import json

    results = []
    print(f"{'elements':>8} {'diff s':>7} {'threats s':>9} {'diff / 2 threats':>16} {'changes':>8} {'findings':>9}")
    for size in sizes or SIZES:
        spec = generate.system(size)
        with tempfile.TemporaryDirectory() as folder:
            old, new = Path(folder) / "old.tm", Path(folder) / "new.tm"
            old.write_text(generate.to_tm(spec), encoding="utf-8")
            new.write_text(generate.to_tm(changed(spec)), encoding="utf-8")
            best_diff = best_threats = float("inf")
            document = ""
            for _ in range(REPEAT):
                start = time.perf_counter()
                _threats(str(new))
                best_threats = min(best_threats, time.perf_counter() - start)
                start = time.perf_counter()
                _, document = _diff(str(old), str(new))
                best_diff = min(best_diff, time.perf_counter() - start)
        summary = json.loads(document)["summary"]
        found = sum(summary["findings"].values())
        ratio = best_diff / (2 * best_threats)
        print(f"{size:>8} {best_diff:>7.2f} {best_threats:>9.2f} {ratio:>16.2f} {summary['changes']:>8} {found:>9}",
              flush=True)  # fmt: skip
        results.append({"elements": size, "diff": best_diff, "threats": best_threats, "ratio": ratio})
    return results


if __name__ == "__main__":
    run()
