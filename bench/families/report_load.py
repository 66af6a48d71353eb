"""The HTML report in a browser: report.html's size, Chromium's `load` event and first paint, the
largest pages beside it and one keystroke in the threat filter (issue 17 item 7, issue 12 gap 6)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import BENCH, Case, Command, Context

ABOUT = "`tmdiag report`, then report.html opened in headless Chromium: size, `load`, first paint, a filter keystroke"
ORDER = 75
CHILD = BENCH / "children" / "report_load.py"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([100, 300, 1000], [100]):
        system = ctx.system(size)
        out = ctx.scratch(f"report-load-{size}") / "out"
        argv = [str(ctx.python), str(CHILD), str(system.tm), ctx.tmdiag, str(out)]
        yield Case(
            "report-load",
            "report in Chromium",
            size,
            [Command("tmdiag report + Chromium (all pages)", argv, ok=(0,), metrics=True, output=out)],
            info=system.info,
            runs=ctx.pick_runs(2 if size < 1000 else 1),
            timeout=ctx.pick_timeout(900),
            note="target (issue 17): report.html opens (load event) in < 2 s at 1,000 elements",
        )
