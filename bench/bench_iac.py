"""Infrastructure as code: `tmdiag import terraform` and `tmdiag drift` on a generated plan
(no pytm equivalent). Import = read the plan JSON + draft and lay out the model; drift = load the
drafted model + read a changed plan of the same resources + the TM7xx rules. Seconds and peak Python
memory (tracemalloc) of each."""

from __future__ import annotations

import functools
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generate_iac import plan

from tmdiag import iac
from tmdiag.api import check_text
from tmdiag.importers.terraform import draft
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig


def measure(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB): timed without tracing, then traced for memory."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def import_plan(plan_path: Path) -> str:
    return draft(iac.read(plan_path), "generated", "plan.json")


def compare(text: str, plan_path: Path) -> list[Any]:
    model, _ = check_text(text, "generated.tm")
    return lint(model, LintConfig(select=("TM7",)), infrastructure=iac.read(plan_path))


def run(sizes: list[int] | None = None) -> None:
    print(
        f"{'resources':>9} {'plan MiB':>9} {'import s':>9} {'import MiB':>11} {'drift s':>8} "
        f"{'drift MiB':>10} {'findings':>9}"
    )
    for n in sizes or [2000, 10000]:
        with tempfile.TemporaryDirectory() as folder:
            path, changed = Path(folder) / "plan.json", Path(folder) / "changed.json"
            path.write_text(json.dumps(plan(n), indent=1))
            changed.write_text(json.dumps(plan(n, drifted=True), indent=1))
            text, import_s, import_mib = measure(functools.partial(import_plan, path))
            found, drift_s, drift_mib = measure(functools.partial(compare, text, changed))
            size = path.stat().st_size / 2**20
            print(f"{n:>9} {size:>9.1f} {import_s:>9.2f} {import_mib:>11.1f} {drift_s:>8.2f} {drift_mib:>10.1f} "
                  f"{len(found):>9}", flush=True)  # fmt: skip
