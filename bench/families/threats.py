"""`tmdiag threats` (JSON and table) against a pytm script that resolves and writes JSON (gap 1)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "`tmdiag threats --format json > file` and the table vs a pytm script's resolve() + JSON dump"
ORDER = 30

JSON = "tmdiag threats --format json > file"
TABLE = "tmdiag threats > file"
PYTM_JSON = "pytm: build + check() + resolve() + JSON"
PYTM_RESOLVE = "pytm: build + check() + resolve()"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([100, 1000, 3000], [100]):
        system = ctx.system(size)
        model, script, python = str(system.tm), str(system.pytm), str(ctx.python)
        out = ctx.scratch(f"threats-{size}") / "pytm.json"
        commands = [
            Command(JSON, [ctx.tmdiag, "threats", "--format", "json", "--today", "2026-11-30", model],
                    stdout="threats.json"),
            Command(PYTM_JSON, [python, script, "json", str(out)], ok=(0,), output=out),
            Command(TABLE, [ctx.tmdiag, "threats", "--today", "2026-11-30", model], stdout="threats.txt"),
            Command(PYTM_RESOLVE, [python, script, "resolve"], ok=(0,)),
        ]  # fmt: skip
        yield Case(
            "threats", "threats", size, commands, info=system.info,
            ratios=[Ratio(JSON, PYTM_JSON), Ratio(TABLE, PYTM_RESOLVE)],
            runs=ctx.pick_runs(2 if size >= 3000 else 3), timeout=ctx.pick_timeout(600),
            note="target at 3,000 (issue 12): JSON <= 1.3x pytm's CPU time and <= 1.5x its peak memory",
        )  # fmt: skip
