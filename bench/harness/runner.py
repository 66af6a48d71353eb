"""Run a case: its commands interleaved run after run, each as a whole process; summarise as JSON."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness.cases import Case, Context
from bench.harness.measure import Sample, run_once
from bench.harness.stats import Spread, ratios, spread

Progress = Callable[[str], None]
BIN = str(Path(sys.executable).parent)  # the virtual environment's bin/: shown as $BIN in results


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_case(case: Case, ctx: Context, progress: Progress | None = None) -> dict[str, Any]:
    """Run every command of `case` `case.runs` times, interleaved (A B C, A B C, …). A command that
    failed or timed out is not run again in this case (its later runs are recorded as missing)."""
    folder = ctx.scratch(case.folder)
    samples: dict[str, list[Sample | None]] = {c.label: [] for c in case.commands}
    stopped: set[str] = set()
    load_before = load()
    for run in range(case.runs):
        for command in case.commands:
            if command.label in stopped:
                samples[command.label].append(None)
                continue
            if progress:
                progress(f"{case.key}: run {run + 1}/{case.runs}: {command.label}")
            sample = run_once(command, folder / f"c{case.commands.index(command)}", case.timeout)
            samples[command.label].append(sample)
            if not sample.ok:
                stopped.add(command.label)
    return summarise(case, samples, load_before, ctx.work)


def _spreads(values: list[Sample | None], pick: Callable[[Sample], float]) -> Spread | None:
    return spread([pick(s) for s in values if s is not None and s.ok])


def _values(values: list[Sample | None], pick: Callable[[Sample], float]) -> list[float | None]:
    return [pick(s) if s is not None and s.ok else None for s in values]


def summarise(case: Case, samples: dict[str, list[Sample | None]], load_before: list[float], work: Path) -> dict:
    def cpu(s: Sample) -> float:
        return s.cpu

    def wall(s: Sample) -> float:
        return s.wall

    def peak(s: Sample) -> float:
        return s.peak_mb

    commands = []
    for command in case.commands:
        runs = samples[command.label]
        done = [s for s in runs if s is not None]
        entry: dict[str, Any] = {
            "label": command.label,
            "argv": [str(a).replace(str(work), "$WORK").replace(BIN, "$BIN") for a in command.argv],
            "samples": [s.to_json() if s is not None else None for s in runs],
            "errors": sorted({s.error for s in done if s.error}),
        }
        for name, pick in (("cpu", cpu), ("wall", wall), ("peak_mb", peak)):
            summary = _spreads(runs, pick)
            entry[name] = summary.to_json() if summary else None
        outputs = [s.out_bytes for s in done if s.ok and s.out_bytes is not None]
        entry["out_bytes"] = max(outputs) if outputs else None
        names = sorted({k for s in done if s.ok for k in s.metrics})
        entry["metrics"] = {
            k: m.to_json() for k in names if (m := spread([s.metrics[k] for s in done if s.ok and k in s.metrics]))
        }
        commands.append(entry)
    found_ratios = []
    for ratio in case.ratios:
        top, bottom = samples[ratio.numerator], samples[ratio.denominator]
        entry = {"numerator": ratio.numerator, "denominator": ratio.denominator}
        for name, pick in (("cpu", cpu), ("wall", wall), ("peak_mb", peak)):
            summary = ratios(_values(top, pick), _values(bottom, pick))
            entry[name] = summary.to_json() if summary else None
        found_ratios.append(entry)
    return {
        "key": case.key, "family": case.family, "name": case.name, "size": case.size, "unit": case.unit,
        "info": case.info, "runs": case.runs, "timeout": case.timeout, "note": case.note,
        "load_before": load_before, "load_after": load(), "commands": commands, "ratios": found_ratios,
    }  # fmt: skip
