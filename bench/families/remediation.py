"""Remediation responsiveness (issue 11): does the register respond when a misconfigured system is
fixed? Pairs of models in bench/remediation/ (before, after its remediation plan ran); the figure
is the share of unresolved critical and high findings the remediation closes or lowers below high."""

from __future__ import annotations

from collections.abc import Iterator

from bench.harness.cases import BENCH, Case, Command, Context

ABOUT = "remediation responsiveness: critical/high findings a remediation closes, on pairs of models"
ORDER = 15
CHILD = BENCH / "children" / "remediation.py"


def cases(ctx: Context) -> Iterator[Case]:
    argv = [str(ctx.python), str(CHILD)]
    yield Case(
        "remediation", "remediation responsiveness", None,
        [Command("tmdiag register before → after (every pair)", argv, ok=(0,), metrics=True)],
        runs=ctx.pick_runs(1), timeout=ctx.pick_timeout(300),
        note="the share of unresolved critical/high findings closed or lowered: most of those the fixes address",
    )  # fmt: skip
