"""Start-up: what a process costs before it does any work (issue 12, gap 3)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "start-up: `tmdiag --version`, `tmdiag check` on a 1-element model vs `python -c pass` and pytm"
ORDER = 10


def cases(ctx: Context) -> Iterator[Case]:
    one = ctx.system(1, boundaries=1)
    python = str(ctx.python)
    commands = [
        Command("python -c pass", [python, "-c", "pass"], ok=(0,)),
        Command("python -c 'import pytm'", [python, "-c", "import pytm"], ok=(0,)),
        Command("tmdiag --version", [ctx.tmdiag, "--version"], ok=(0,), stdout="version.txt"),
        Command("tmdiag check (1 element)", [ctx.tmdiag, "check", str(one.tm)], stdout="check.txt"),
        Command("pytm script (1 element): build + check()", [python, str(one.pytm), "check"], ok=(0,)),
    ]
    yield Case(
        "startup", "start-up", None, commands,
        ratios=[Ratio("tmdiag --version", "python -c pass"),
                Ratio("tmdiag check (1 element)", "pytm script (1 element): build + check()")],
        runs=ctx.pick_runs(5 if ctx.quick else 10), timeout=ctx.pick_timeout(60),
        note="targets (issue 12): tmdiag --version <= 60 ms CPU, tmdiag check of 1 element <= 120 ms CPU",
    )  # fmt: skip
