"""Infrastructure as code: `tmdiag import terraform` and `tmdiag drift` on a generated Terraform plan."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

from bench.generate_iac import plan
from bench.harness.cases import Case, Command, Context

ABOUT = (
    "`tmdiag import terraform PLAN -o model.tm` and `tmdiag drift model.tm --terraform CHANGED` (no pytm equivalent)"
)
ORDER = 55


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([2000, 10000], [2000]):
        folder = ctx.scratch(f"iac-{size}")
        planned, changed = folder / "plan.json", folder / "changed.json"
        planned.write_text(json.dumps(plan(size), indent=1), encoding="utf-8")
        changed.write_text(json.dumps(plan(size, drifted=True), indent=1), encoding="utf-8")
        model, drafted = folder / "model.tm", folder / "drafted.tm"
        # the model drift compares with: drafted once, untimed, by the same command the first case times
        subprocess.run([ctx.tmdiag, "import", "terraform", str(planned), "-o", str(model)], check=True,
                       capture_output=True)  # fmt: skip
        draft = [ctx.tmdiag, "import", "terraform", str(planned), "-o", str(drafted), "--force"]
        drift = [ctx.tmdiag, "drift", str(model), "--terraform", str(changed), "--today", "2026-11-30"]
        commands = [
            Command("tmdiag import terraform", draft, ok=(0,), stdout="import.txt", output=drafted),
            Command("tmdiag drift", drift, stdout="drift.txt"),
        ]  # fmt: skip
        yield Case(
            "iac", "import and drift", size, commands, unit="resources",
            info={"plan MB": round(planned.stat().st_size / 1e6, 1), "model lines": model.read_text().count("\n")},
            runs=ctx.pick_runs(3 if size < 5000 else 2), timeout=ctx.pick_timeout(600),
        )  # fmt: skip
