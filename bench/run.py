"""`make bench`: tmdiag's commands against plain pytm scripts, as whole processes (see bench/README.md)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import families as families_package
from bench.harness import results, tables
from bench.harness.cases import Case, Context
from bench.harness.measure import run_once, sanity
from bench.harness.runner import run_case

EXAMPLES = """\
examples:
  bench/run.py                              the full run (~15 minutes on 2 cores)
  bench/run.py --quick                      every family at small sizes (1-2 minutes on an idle machine)
  bench/run.py --only check,threats --sizes 100,1000
  bench/run.py --only many --files 200 --runs 5
  bench/run.py --quick --json > results.json
  bench/run.py --list                       the families and what each measures
  bench/compare.py bench/baseline/2026-11-30-before.json .bench/results-<time>.json

Raw results are always written to the checkout's .bench/results-<UTC time>.json (or --out FILE).
"""


def discover() -> dict[str, ModuleType]:
    """Every module in bench/families/, cheapest first (its ORDER, then its name)."""
    found = [
        importlib.import_module(f"{families_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(families_package.__path__)
        if not info.name.startswith("_")
    ]
    found.sort(key=lambda module: (getattr(module, "ORDER", 50), module.__name__))
    # a module `report_load` is the family `report-load`
    return {module.__name__.rsplit(".", 1)[1].replace("_", "-"): module for module in found}


def _numbers(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers above 0, got {text!r}")
    return values


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Benchmarks: tmdiag's commands and plain pytm scripts on the same generated systems, each\n"
        "run as a whole process (start-up and output included), interleaved, with CPU time, wall time\n"
        "and peak memory per process. Without options: the full run. Details: bench/README.md.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cli.add_argument("--only", type=_names, metavar="F[,F]", help="run only these families (see --list)")
    cli.add_argument("--skip", type=_names, metavar="F[,F]", default=[], help="leave these families out")
    cli.add_argument("--sizes", type=_numbers, metavar="N[,N]", help="model sizes in elements (default 100,1000,3000)")
    cli.add_argument("--files", type=_numbers, metavar="N[,N]", help="file counts for `many` (default 200,2000)")
    cli.add_argument("--quick", action="store_true", help="small sizes and few runs: 1-2 minutes on an idle machine")
    cli.add_argument("--runs", type=int, metavar="N", help="interleaved runs per case (default: each case's own)")
    cli.add_argument("--timeout", type=float, metavar="S", help="seconds a process may run (default: per case)")
    cli.add_argument("--json", action="store_true", help="print the results as JSON on stdout (tables on stderr)")
    cli.add_argument("--out", type=Path, metavar="FILE",
                     help="raw results file (default: the checkout's .bench/results-<time>.json)")  # fmt: skip
    cli.add_argument("--list", action="store_true", help="list the families and exit")
    return cli


def parse(argv: list[str]) -> tuple[argparse.Namespace, dict[str, ModuleType]]:
    cli = parser()
    args = cli.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        cli.error("--runs must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        cli.error("--timeout must be positive")
    available = discover()
    for name in (args.only or []) + args.skip:
        if name not in available:
            cli.error(f"unknown family {name!r}; available: {', '.join(available)}")
    chosen = {n: m for n, m in available.items() if (not args.only or n in args.only) and n not in args.skip}
    return args, chosen


# An installed package has its bytecode (pip compiles it); an editable install under
# PYTHONDONTWRITEBYTECODE=1 would compile every module on every run (~0.2 s at start-up).
COMPILE = "import compileall, os, tmdiag; compileall.compile_dir(os.path.dirname(tmdiag.__file__), quiet=1)"


def warm_up(ctx: Context) -> None:
    """Compile tmdiag's bytecode as an installed copy has it, and bring the interpreter, tmdiag and
    pytm into the page cache once, so the first case does not pay."""
    from bench.harness.cases import Command

    for argv in (
        [str(ctx.python), "-c", COMPILE],
        [ctx.tmdiag, "--version"],
        [str(ctx.python), "-c", "import pytm, lark, jinja2"],
    ):
        sample = run_once(Command("warm-up", argv, ok=(0,)), ctx.work / "warm-up", timeout=120)
        if sample.error:
            print(f"warning: warm-up `{' '.join(argv)}` failed: {sample.error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args, chosen = parse(sys.argv[1:] if argv is None else argv)
    if args.list:
        for name, module in discover().items():
            print(f"{name:<10} {module.ABOUT}")
        return 0
    show: TextIO = sys.stderr if args.json else sys.stdout
    started = results.now()
    clock = time.perf_counter()
    path = args.out or results.default_path(started)
    doc: dict[str, Any] = {
        "schema": results.SCHEMA, "started": started.isoformat(), "git": results.measured(Path(sys.executable)),
        "bench_git": results.git(),
        "machine": results.machine(), "path": str(path), "cases": [],
        "options": {"families": list(chosen), "quick": args.quick, "runs": args.runs, "sizes": args.sizes,
                    "files": args.files, "timeout": args.timeout},
    }  # fmt: skip
    print(tables.header(doc), file=show, flush=True)

    def progress(message: str) -> None:
        if show.isatty():
            print(f"\r\033[K  {message}", end="", file=show, flush=True)

    with tempfile.TemporaryDirectory(prefix="tmdiag-bench-") as work:
        ctx = Context(Path(work), quick=args.quick, runs=args.runs, sizes=args.sizes, files=args.files,
                      timeout=args.timeout)  # fmt: skip
        doc["sanity"] = sanity(ctx.work / "sanity", ctx.python)
        print(tables.sanity_lines(doc["sanity"]), file=show, flush=True)
        warm_up(ctx)
        try:
            for name, module in chosen.items():
                print(f"\n== {name}: {module.ABOUT}", file=show, flush=True)
                case: Case
                for case in module.cases(ctx):
                    summary = run_case(case, ctx, progress)
                    progress("")
                    print(tables.case_table(summary), file=show, flush=True)
                    doc["cases"].append(summary)
                    results.save(doc, path)  # an interrupted run keeps what it measured
        except KeyboardInterrupt:
            doc["interrupted"] = True
            print("\ninterrupted: the results so far are kept", file=show)
    doc["machine"]["loadavg_after"] = list(os.getloadavg())
    doc["finished"] = results.now().isoformat()
    doc["seconds"] = round(time.perf_counter() - clock, 1)
    results.save(doc, path)
    print("\n" + tables.footer(doc), file=show, flush=True)
    if args.json:
        print(json.dumps(doc, indent=1, ensure_ascii=False))
    return 130 if doc.get("interrupted") else 0


if __name__ == "__main__":
    sys.exit(main())
