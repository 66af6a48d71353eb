"""Before/after table from two results files of bench/run.py.

    bench/compare.py OLD.json NEW.json [--markdown]

Per case (command and size): median CPU seconds, wall seconds and peak MB, old → new and the change
(new ÷ old); then the case's ratios against pytm, old → new. Cases or commands in only one file are
listed as such; a run that timed out or failed shows why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/compare.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import results


def _median(entry: dict[str, Any] | None, field: str) -> float | None:
    if entry is None or entry.get(field) is None:
        return None
    value: float = entry[field]["median"]
    return value


def _cell(entry: dict[str, Any] | None, field: str, digits: int) -> str:
    if entry is None:
        return "—"
    value = _median(entry, field)
    if value is None:
        errors = entry.get("errors") or ["no result"]
        return errors[0].split(":")[0]  # "timed out after 180 s", "exit code 2"
    return f"{value:.{digits}f}"


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None or not old:
        return ""
    return f"{new / old:.2f}x"


def mean_load(doc: dict[str, Any]) -> float:
    """Mean 1-minute load average at the start of the cases (the run's load, not only its start)."""
    values = [case["load_before"][0] for case in doc["cases"]] or [doc["machine"]["loadavg_before"][0]]
    return sum(values) / len(values)


def _title(case: dict[str, Any]) -> str:
    size = "" if case["size"] is None else f" at {case['size']:,} {case['unit']}"
    return f"{case['family']}: {case['name']}{size}"


def _row(cells: list[str], markdown: bool, widths: list[int]) -> str:
    if markdown:
        return "| " + " | ".join(cells) + " |"
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def table(old: dict[str, Any], new: dict[str, Any], markdown: bool = False) -> str:
    out = []
    for name, doc in (("old", old), ("new", new)):
        load = " ".join(f"{x:.2f}" for x in doc["machine"]["loadavg_before"])
        out.append(f"{name}: {doc['started']} commit {doc['git']['commit'][:10]} ({doc['git']['subject'][:60]}), "
                   f"{doc['machine']['cpus']} CPUs, load before {load}")  # fmt: skip
    loads = [mean_load(old), mean_load(new)]
    cpus = new["machine"]["cpus"] or 1
    if abs(loads[0] - loads[1]) > cpus / 2:
        out.append(
            f"warning: the machine was busier in one run (mean 1-minute load {loads[0]:.1f} vs {loads[1]:.1f} on "
            f"{cpus} CPUs): CPU times grow with load on a shared machine; trust the ratios against pytm more"
        )
    out.append("medians of the runs; change = new ÷ old (below 1 = faster / smaller)")
    old_cases = {c["key"]: c for c in old["cases"]}
    new_cases = {c["key"]: c for c in new["cases"]}
    keys = list(new_cases) + [k for k in old_cases if k not in new_cases]
    heading = ["command", "CPU s old", "new", "change", "wall s old", "new", "peak MB old", "new", "change"]
    longest = max((len(c["label"]) for doc in (old, new) for case in doc["cases"] for c in case["commands"]), default=7)
    widths = [longest, 9, 8, 7, 10, 8, 11, 8, 7]
    for key in keys:
        before, after = old_cases.get(key), new_cases.get(key)
        case = after or before
        assert case is not None
        where = "" if before and after else (" (only in new)" if after else " (only in old)")
        out += ["", f"{_title(case)}{where}"]
        if markdown:
            out += [_row(heading, True, widths), "|" + "---|" * len(heading)]
        else:
            out.append(_row(heading, False, widths))
        labels = [c["label"] for c in case["commands"]]
        if before and after:
            labels += [c["label"] for c in before["commands"] if c["label"] not in labels]
        for label in labels:
            a = next((c for c in before["commands"] if c["label"] == label), None) if before else None
            b = next((c for c in after["commands"] if c["label"] == label), None) if after else None
            cells = [label, _cell(a, "cpu", 3), _cell(b, "cpu", 3), _change(_median(a, "cpu"), _median(b, "cpu")),
                     _cell(a, "wall", 3), _cell(b, "wall", 3), _cell(a, "peak_mb", 1), _cell(b, "peak_mb", 1),
                     _change(_median(a, "peak_mb"), _median(b, "peak_mb"))]  # fmt: skip
            out.append(_row(cells, markdown, widths))
        ratio_names = [(r["numerator"], r["denominator"]) for r in case["ratios"]]
        if markdown and ratio_names:
            out.append("")
        for numerator, denominator in ratio_names:

            def find(doc: dict[str, Any] | None, n: str = numerator, d: str = denominator) -> dict[str, Any] | None:
                found = [r for r in (doc or {}).get("ratios", []) if (r["numerator"], r["denominator"]) == (n, d)]
                return found[0] if found else None

            a, b = find(before), find(after)
            cpu = f"CPU {_cell(a, 'cpu', 2)} → {_cell(b, 'cpu', 2)}"
            peak = f"peak {_cell(a, 'peak_mb', 2)} → {_cell(b, 'peak_mb', 2)}"
            line = f"ratio {numerator} ÷ {denominator}: {cpu}, {peak}"
            out.append(f"  {line}" if not markdown else f"- {line}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="bench/compare.py", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    cli.add_argument("old", type=Path, help="results file before (e.g. bench/baseline/2026-11-30-before.json)")
    cli.add_argument("new", type=Path, help="results file after (e.g. .bench/results-<time>.json)")
    cli.add_argument("--markdown", action="store_true", help="Markdown tables (for an issue or a pull request)")
    args = cli.parse_args(argv)
    try:
        old, new = results.load(args.old), results.load(args.new)
    except (OSError, ValueError) as error:
        print(f"bench/compare.py: {error}", file=sys.stderr)
        return 2
    try:
        print(table(old, new, args.markdown))
    except BrokenPipeError:  # `| head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
