"""Text tables for people: one per case, from the JSON summary that run_case returns."""

from __future__ import annotations

from typing import Any


def _size(case: dict[str, Any]) -> str:
    if case["size"] is None:
        return ""
    extra = ", ".join(f"{v:,} {k}" if isinstance(v, int) else f"{k} {v}" for k, v in case["info"].items())
    return f" at {case['size']:,} {case['unit']}" + (f" ({extra})" if extra else "")


def _mb(value: int | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1e6:.1f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if value < 100 else f"{value:.1f}"


def _faster(ratio: float) -> str:
    """How to say a time ratio numerator ÷ denominator in words."""
    if ratio < 1:
        return f"{1 / ratio:.2f}x faster"
    return f"{ratio:.2f}x slower" if ratio > 1 else "same"


def case_table(case: dict[str, Any]) -> str:
    load = f"load {case['load_before'][0]:.2f}→{case['load_after'][0]:.2f}"
    runs = f"{case['runs']} runs, interleaved" if case["runs"] > 1 else "1 run"
    lines = [f"{case['family']}: {case['name']}{_size(case)} · {runs} · {load}"]
    width = max(len(c["label"]) for c in case["commands"]) + 2
    lines.append(
        f"  {'':<{width}} {'CPU s min':>9} {'median':>8} {'max':>8} {'noise':>6} | {'wall s':>7} | "
        f"{'cores':>5} | {'peak MB':>8} | output"
    )
    for command in case["commands"]:
        label = command["label"]
        cpu, wall, peak = command["cpu"], command["wall"], command["peak_mb"]
        if cpu is None:
            lines.append(f"  {label:<{width}} {'; '.join(command['errors']) or 'did not run'}")
            continue
        noise = (cpu["max"] - cpu["min"]) / cpu["median"] if cpu["median"] else 0
        cores = cpu["median"] / wall["median"] if wall["median"] else 0
        lines.append(
            f"  {label:<{width}} {_num(cpu['min']):>9} {_num(cpu['median']):>8} {_num(cpu['max']):>8} "
            f"{noise:>6.0%} | {_num(wall['median']):>7} | {cores:>5.2f} | {peak['median']:>8.1f} | "
            f"{_mb(command['out_bytes'])}"
        )
        if command["errors"]:
            lines.append(f"  {'':<{width}} later run: {'; '.join(command['errors'])}")
        for name, values in command["metrics"].items():
            lines.append(
                f"  {'':<{width}}   {name}: {values['median']:.4g} (min {values['min']:.4g}, max {values['max']:.4g})"
            )
    if case["ratios"]:
        lines.append(f"  {'ratios per interleaved pair':<{width + 40}}  {'CPU min':>8} {'median':>7} {'max':>7} | peak")
    for ratio in case["ratios"]:
        name = f"{ratio['numerator']} ÷ {ratio['denominator']}"
        cpu, peak = ratio["cpu"], ratio["peak_mb"]
        if cpu is None:
            lines.append(f"  {name:<{width + 40}}  (no pair finished)")
            continue
        lines.append(
            f"  {name:<{width + 40}}  {cpu['min']:>8.2f} {cpu['median']:>7.2f} {cpu['max']:>7.2f} | "
            f"{peak['median']:.2f}   ({_faster(cpu['median'])})"
        )
    if case["note"]:
        lines.append(f"  note: {case['note']}")
    return "\n".join(lines)


def header(doc: dict[str, Any]) -> str:
    machine = doc["machine"]
    load = " ".join(f"{x:.2f}" for x in machine["loadavg_before"])
    return (
        f"tmdiag benchmark · {doc['started']} · tmdiag at commit {doc['git']['commit'][:10]}"
        f"{' (uncommitted changes)' if doc['git']['dirty'] else ''} ({doc['git']['package']})\n"
        f"machine: {machine['cpus']} CPUs, {machine['memory_gb']:.0f} GB, load (1/5/15 min) {load} · "
        f"Python {machine['python']}, pytm {machine['pytm']}, Graphviz {machine['graphviz']}\n"
        "CPU = user + system time of the process and its children (wait4); wall from spawn to exit;\n"
        "cores = CPU / wall; peak = largest resident set in the process tree (MB);\n"
        "noise = (max - min) / median of the CPU times; ratios = per interleaved pair, numerator ÷ denominator."
    )


def sanity_lines(found: dict[str, float]) -> str:
    parts = ", ".join(f"{k.removesuffix(' (MB)')} {v:.1f}" for k, v in found.items())
    return f"peak-memory check (MB): {parts}"


def footer(doc: dict[str, Any]) -> str:
    machine = doc["machine"]
    load = " ".join(f"{x:.2f}" for x in machine["loadavg_after"])
    return f"done in {doc['seconds']:.0f} s; load after (1/5/15 min) {load}; raw results: {doc['path']}"
