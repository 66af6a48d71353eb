"""`tmdiag report` at growing sizes, and against pytm's report() where pytm can finish (gaps 5, 6)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import BENCH, Case, Command, Context, Ratio

ABOUT = "`tmdiag report -o DIR` (HTML, Markdown, diagram, JSON) vs a pytm script's resolve() + report()"
ORDER = 70
TEMPLATE = BENCH / "pytm_basic_template.md"  # pytm's docs/basic_template.md (not in its wheel)
PYTM_SIZE = 12  # pytm's report() deep-copies findings x model: 12 elements take ~30 s and ~1 GB


def _report(ctx: Context, name: str, model: str) -> Command:
    out = ctx.scratch(name) / "out"
    argv = [ctx.tmdiag, "report", model, "-o", str(out), "--today", "2026-11-30"]
    return Command("tmdiag report", argv, stdout="report.txt", output=out)


def cases(ctx: Context) -> Iterator[Case]:
    yield from _against_pytm(ctx)
    sizes = ctx.pick_sizes([100, 1000, 3000], [100])
    for size in sizes:
        system = ctx.system(size)
        yield Case(
            "report",
            "report",
            size,
            [_report(ctx, f"report-{size}", str(system.tm))],
            info=system.info,
            runs=ctx.pick_runs(3 if size < 1000 else 1),
            timeout=ctx.pick_timeout(600),
        )
    big = [s for s in sizes if s >= 1000]
    if big:
        system = ctx.zoned(max(big))
        yield Case(
            "report",
            f"report, {system.boundaries} nested boundaries",
            system.elements,
            [_report(ctx, "report-deep", str(system.tm))],
            info=system.info,
            runs=ctx.pick_runs(1),
            timeout=ctx.pick_timeout(180),
            note="target (issue 12): <= 90 s at 3,000 elements",
        )


def _against_pytm(ctx: Context) -> Iterator[Case]:
    """Both reports on a system small enough for pytm (its report() takes ~30 s here); not in --quick."""
    if ctx.quick and not ctx.sizes:
        return
    small = ctx.system(PYTM_SIZE)
    mine = _report(ctx, f"report-{PYTM_SIZE}", str(small.tm))
    pytm = Command(
        "pytm: build + check() + resolve() + report()",
        [str(ctx.python), str(small.pytm), "report", str(TEMPLATE)],
        ok=(0,),
        stdout="pytm-report.md",
    )
    yield Case(
        "report",
        "report vs pytm report()",
        PYTM_SIZE,
        [mine, pytm],
        info=small.info,
        ratios=[Ratio(mine.label, pytm.label)],
        runs=ctx.pick_runs(1),
        timeout=ctx.pick_timeout(300),
        note="pytm's basic template; pytm gets identity hashing for Data to avoid its crash (bench/README.md)",
    )
