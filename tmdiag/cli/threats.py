"""`tmdiag threats`: threats from pytm's library and the model's rules, ranked by risk.

Exit codes: 0 when nothing needs attention; 1 when the model has errors, a risk decision is stale
or expired, or (with --fail-on LEVEL) an open finding is at or above LEVEL; 2 on usage or I/O
errors. Findings alone never fail the run unless you ask: every real system has threats.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import sys
from collections import Counter
from typing import Any

from tmdiag.api import check_file
from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import add_output_options, date_arg, error, progress, use_colour
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.model import schema
from tmdiag.output.diagnostics import render_json, render_text, summary

LEVELS = tuple(reversed(schema.LEVELS))  # risk levels, highest first
STATUSES = schema.DECISIONS
COLOURS = {"critical": "\x1b[1;35m", "high": "\x1b[1;31m", "medium": "\x1b[33m", "low": "\x1b[36m", "info": "\x1b[2m"}
CSV_COLUMNS = ("rank", "risk", "score", "likelihood", "impact", "threat_id", "title", "severity", "target_kind",
               "target_id", "path", "line", "column", "owner", "status", "controls", "ticket", "source",
               "evidence")  # fmt: skip

EXAMPLES = """\
examples:
  tmdiag threats examples/checkout.tm                 ranked table of findings
  tmdiag threats model.tm --min-risk high             only high and critical
  tmdiag threats model.tm -e --min-risk critical      why each applies, how its risk was computed
  tmdiag threats model.tm --status open --fail-on high    CI gate: exit 1 on open high/critical
  tmdiag threats model.tm --format json --today 2026-11-27 > threats.json
  tmdiag threats model.tm --format csv > threats.csv
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "threats", help="enumerate threats (pytm + custom rules), ranked by risk", description=__doc__,
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", metavar="FILE", help="the .tm model")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text", help="output format")
    parser.add_argument("--min-risk", choices=LEVELS, default="info", help="hide findings below this risk level")
    parser.add_argument("--status", type=_statuses, default=None, metavar="S[,S]",
                        help="show only these statuses, e.g. `open` or `open,accepted`")  # fmt: skip
    parser.add_argument("--fail-on", choices=(*LEVELS, "never"), default="never",
                        help="exit 1 when an open finding is at or above this level (default: never)")  # fmt: skip
    parser.add_argument("--today", type=date_arg, default=None, metavar="YYYY-MM-DD",
                        help="the date accepted risks expire against (default: today)")  # fmt: skip
    parser.add_argument("-e", "--evidence", action="store_true",
                        help="text: print each finding's evidence and risk explanation under its row")  # fmt: skip
    add_output_options(parser)
    return parser


def _statuses(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip() for s in text.split(",") if s.strip())
    wrong = [s for s in chosen if s not in STATUSES]
    if wrong or not chosen:
        raise argparse.ArgumentTypeError(f"unknown status {', '.join(wrong) or text!r}; use {', '.join(STATUSES)}")
    return chosen


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if not Path(args.path).is_file():
        error(f"no such file: {args.path}")
        return EXIT_ERROR
    model, diagnostics = check_file(args.path)
    if model is None:
        for d in diagnostics:
            print(render_text(d, {}, False), file=sys.stderr)
        return EXIT_ERROR
    errors = [d for d in diagnostics if d.severity >= Severity.ERROR and not d.code.startswith("TM")]
    if errors:
        if args.format == "json":
            sys.stdout.write(_json(model.path, [], tuple(errors)))
        else:
            _print_diagnostics(args, errors, model.sources, sys.stdout if args.format == "text" else sys.stderr)
        return EXIT_FINDINGS

    from tmdiag.threats import analyze

    with progress(args) as step:
        step(f"Enumerating threats with pytm ({len(model.elements)} elements, {len(model.flows)} flows)…")
        analysis = analyze(model, today=args.today or datetime.date.today())
    threshold = LEVELS.index(args.min_risk)
    shown = [f for f in analysis.findings
             if LEVELS.index(f.risk) <= threshold and (args.status is None or f.status in args.status)]  # fmt: skip
    if args.format == "json":
        sys.stdout.write(_json(model.path, shown, analysis.diagnostics, analysis.excluded))
    elif args.format == "csv":
        sys.stdout.write(_csv(shown))
        _print_diagnostics(args, list(analysis.diagnostics), model.sources, sys.stderr)
    else:
        colour = use_colour(args)
        sys.stdout.write(_table(shown, colour, args.evidence))
        _print_diagnostics(args, list(analysis.diagnostics), model.sources, sys.stdout)
        if not args.quiet:
            print(_summary(analysis.findings, shown))
    failed = any(d.severity >= Severity.ERROR for d in analysis.diagnostics)
    if args.fail_on != "never":
        limit = LEVELS.index(args.fail_on)
        failed = failed or any(f.status == "open" and LEVELS.index(f.risk) <= limit for f in analysis.findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _print_diagnostics(args: argparse.Namespace, found: list[Diagnostic], sources: Any, stream: Any) -> None:
    if not found:
        return
    if args.format == "json" and stream is sys.stdout:
        stream.write(render_json(found))
        return
    colour = use_colour(args, stream)
    for d in found:
        print(render_text(d, sources, colour) + "\n", file=stream)
    if not args.quiet and stream is sys.stdout:
        print(summary(found, 1), file=stream)


def _table(findings: list[Any], colour: bool, evidence: bool = False) -> str:
    header = ("#", "risk", "threat", "element", "owner", "status")
    rows = [(str(f.rank), f.risk, f"{f.threat_id} {f.title}", f"{f.target_kind} {f.target_id}", f.owner or "-",
             f.status + (f" ({', '.join(f.controls)})" if f.controls else "")) for f in findings]  # fmt: skip
    if not rows:
        return "No findings match.\n"
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header) - 1)]
    out = io.StringIO()

    def line(cells: tuple[str, ...], paint: str = "") -> None:
        parts = [cells[0].rjust(widths[0])]
        risk = cells[1].ljust(widths[1])
        parts.append(f"{paint}{risk}\x1b[0m" if paint else risk)
        parts.extend(c.ljust(w) for c, w in zip(cells[2:-1], widths[2:], strict=False))
        parts.append(cells[-1])
        out.write("  ".join(parts).rstrip() + "\n")

    line(header)
    indent = " " * (widths[0] + 2)
    for row, finding in zip(rows, findings, strict=True):
        line(row, COLOURS.get(row[1], "") if colour else "")
        if evidence:
            for fact in finding.evidence:
                out.write(f"{indent}because {fact}\n")
            out.write(f"{indent}risk: {finding.explanation}\n")
    return out.getvalue()


def _summary(every: tuple[Any, ...], shown: list[Any]) -> str:
    levels = Counter(f.risk for f in every if f.status == "open")
    counts = ", ".join(f"{levels[level]} {level}" for level in LEVELS if levels[level])
    open_count = sum(levels.values())
    hidden = f" ({len(every) - len(shown)} hidden by filters)" if len(shown) != len(every) else ""
    return f"{len(every)} findings{hidden}; {open_count} open" + (f": {counts}" if counts else "")


def _json(path: str, findings: list[Any], found: tuple[Diagnostic, ...], excluded: tuple[Any, ...] = ()) -> str:
    payload = {
        "model": path,
        "findings": [f.to_dict() for f in findings],
        "diagnostics": json.loads(render_json(list(found))) if found else [],
        "excluded": [f.to_dict() for f in excluded],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) starts with `'` (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(findings: list[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        ticket = f.decision.get("ticket") if f.decision is not None else ""
        writer.writerow(map(_cell, [f.rank, f.risk, f.score, f.likelihood, f.impact, f.threat_id, f.title, f.severity,
                         f.target_kind, f.target_id, f.span.path, f.span.line, f.span.column, f.owner or "",
                         f.status, " ".join(f.controls), ticket or "", f.source, " | ".join(f.evidence)]))  # fmt: skip
    return out.getvalue()
