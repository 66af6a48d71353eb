"""Language server: open a big model, then type (gap 7). The client is a measured child process."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import BENCH, Case, Command, Context

ABOUT = "`tmdiag lsp` (threats on): open → first diagnostics, and edit → diagnostics while typing"
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
            note="targets at 3,000 (issue 12): first diagnostics < 1 s, edits < 100 ms p90",
        )  # fmt: skip
