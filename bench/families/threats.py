"""`tmdiag threats` (JSON and table) against a pytm script that resolves and writes JSON (gap 1)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "`tmdiag threats --format json > file` and the table vs a pytm script's resolve() + JSON dump"
ORDER = 30

JSON = "tmdiag threats --format json > file"
TABLE = "tmdiag threats > file"
PYTM_FINDINGS = "pytm: build + check() + resolve() + findings JSON"
PYTM_JSON = "pytm: build + check() + resolve() + pytm's --json"
PYTM_RESOLVE = "pytm: build + check() + resolve()"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([100, 1000, 3000], [100]):
        system = ctx.system(size)
        model, script, python = str(system.tm), str(system.pytm), str(ctx.python)
        folder = ctx.scratch(f"threats-{size}")
        findings, whole = folder / "pytm-findings.json", folder / "pytm-model.json"
        commands = [
            Command(JSON, [ctx.tmdiag, "threats", "--format", "json", "--today", "2026-11-30", model],
                    stdout="threats.json"),
            Command(PYTM_FINDINGS, [python, script, "findings-json", str(findings)], ok=(0,), output=findings),
            Command(PYTM_JSON, [python, script, "pytm-json", str(whole)], ok=(0,), output=whole),
            Command(TABLE, [ctx.tmdiag, "threats", "--today", "2026-11-30", model], stdout="threats.txt"),
            Command(PYTM_RESOLVE, [python, script, "resolve"], ok=(0,)),
        ]  # fmt: skip
        yield Case(
            "threats", "threats", size, commands, info=system.info,
            ratios=[Ratio(JSON, PYTM_FINDINGS), Ratio(JSON, PYTM_JSON), Ratio(TABLE, PYTM_RESOLVE)],
            runs=ctx.pick_runs(2 if size >= 3000 else 3), timeout=ctx.pick_timeout(600),
            note="target at 3,000 (issue 12): JSON <= 1.3x the findings JSON's CPU time and <= 1.5x its peak memory",
        )  # fmt: skip
