"""`tmdiag fmt` speed on the generated system: layout alone, and the full run with its safety
checks (parse the result again, compare models, format a second time). No pytm equivalent."""

from __future__ import annotations

import time

from generate import system, to_tm

from tmdiag.fmt import format_text, layout
from tmdiag.syntax import parse


def run(sizes: list[int] | None = None) -> None:
    print(f"{'elements':>9} {'lines':>7} {'parse s':>8} {'layout s':>9} {'fmt+checks s':>13}")
    for n in sizes or [100, 1000, 3000]:
        text = to_tm(system(n))
        start = time.perf_counter()
        result = parse(text)
        parsed = time.perf_counter() - start
        start = time.perf_counter()
        layout(result)
        laid_out = time.perf_counter() - start
        start = time.perf_counter()
        format_text(text)
        full = time.perf_counter() - start
        print(f"{n:>9} {text.count(chr(10)):>7} {parsed:>8.3f} {laid_out:>9.3f} {full:>13.3f}", flush=True)
