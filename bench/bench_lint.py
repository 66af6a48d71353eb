"""Lint speed on the generated system: every rule over models of growing size (no pytm equivalent)."""

from __future__ import annotations

import time

from generate import system, to_tm

from tmdiag.api import check_text
from tmdiag.lint import lint


def run(sizes: list[int] | None = None) -> None:
    print(f"{'elements':>9} {'flows':>7} {'findings':>9} {'lint s':>8} {'ms/1k flows':>12}")
    for n in sizes or [100, 1000, 3000]:
        model, _ = check_text(to_tm(system(n)), f"generated-{n}.tm")
        lint(model)  # warm-up: rule registry import
        start = time.perf_counter()
        found = lint(model)
        took = time.perf_counter() - start
        per_k = 1000 * took / max(1, len(model.flows)) * 1000
        print(f"{n:>9} {len(model.flows):>7} {len(found):>9} {took:>8.3f} {per_k:>12.1f}", flush=True)
