"""Language server: open a big model, then type (gap 7). The client is a measured child process."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import BENCH, Case, Command, Context

ABOUT = (
    "`tmdiag lsp` (threats on): open → first diagnostics, edit → diagnostics while typing, semantic tokens;"
    " hovers while a 10,000-line file is formatted"
)
ORDER = 60
CLIENT = BENCH / "children" / "lsp_client.py"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([1000, 3000], [100]):
        system = ctx.system(size)
        argv = [str(ctx.python), str(CLIENT), str(system.tm), ctx.tmdiag, "--edits", "40"]
        yield Case(
            "lsp", "lsp open + 40 edits", size, [Command("tmdiag lsp (client + server)", argv, ok=(0,),
                                                          metrics=True)],
            info=system.info, runs=ctx.pick_runs(2), timeout=ctx.pick_timeout(300),
            note="targets at 3,000: first diagnostics < 1 s, edits < 100 ms p90 (issue 12); semantic tokens < 200 ms"
            " (issue 15)",
        )  # fmt: skip
    size = ctx.pick_sizes([3320], [300])[0]  # 3,320 elements: ~10,000 lines
    system = ctx.system(size)
    argv = [str(ctx.python), str(CLIENT), str(system.tm), ctx.tmdiag, "--hover-during-format", "--no-threats"]
    yield Case(
        "lsp",
        "lsp hover during format",
        size,
        [Command("tmdiag lsp (client + server)", argv, ok=(0,), metrics=True)],
        info=system.info,
        runs=ctx.pick_runs(1),
        timeout=ctx.pick_timeout(600),
        note="target (issue 15): a hover sent while the whole file is formatted answers in < 100 ms",
    )
