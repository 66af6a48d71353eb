"""`tmdiag fmt --check` on one big model (no pytm equivalent)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context

ABOUT = "`tmdiag fmt --check FILE`: parse, lay out, re-parse and compare (no pytm equivalent)"
ORDER = 50


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([100, 1000, 3000], [100]):
        system = ctx.system(size)
        command = Command("tmdiag fmt --check", [ctx.tmdiag, "fmt", "--check", str(system.tm)], stdout="fmt.txt")
        yield Case("fmt", "fmt --check", size, [command], info=system.info, runs=ctx.pick_runs(3),
                   timeout=ctx.pick_timeout(600))  # fmt: skip
