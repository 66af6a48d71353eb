"""`tmdiag check` against pytm doing the same work (issue 12, gap 2)."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "`tmdiag check` and `check --no-lint` vs a pytm script's build + check() and build + check() + resolve()"
ORDER = 20

CHECK = "tmdiag check"
NO_LINT = "tmdiag check --no-lint"
PYTM_CHECK = "pytm: build + check()"
PYTM_RESOLVE = "pytm: build + check() + resolve()"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([100, 1000, 3000], [100]):
        system = ctx.system(size)
        model, script, python = str(system.tm), str(system.pytm), str(ctx.python)
        cached = system.import_pytm("check", ctx.python)
        commands = [
            Command(CHECK, [ctx.tmdiag, "check", model], stdout="check.txt"),
            Command(NO_LINT, [ctx.tmdiag, "check", "--no-lint", model], stdout="check.txt"),
            Command(PYTM_CHECK, [python, script, "check"], ok=(0,)),
            Command(PYTM_RESOLVE, [python, script, "resolve"], ok=(0,)),
            cached,
        ]
        yield Case(
            "check", "check", size, commands, info=system.info,
            ratios=[Ratio(NO_LINT, PYTM_CHECK), Ratio(CHECK, PYTM_CHECK), Ratio(CHECK, PYTM_RESOLVE),
                    Ratio(NO_LINT, PYTM_RESOLVE), Ratio(NO_LINT, cached.label)],
            runs=ctx.pick_runs(3), timeout=ctx.pick_timeout(600),
            note="targets at 3,000: check --no-lint <= pytm build + check(); check >= 3x faster than + resolve()",
        )  # fmt: skip
