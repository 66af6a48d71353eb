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
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._against import add_against_option, read_against
from tmdiag.cli._common import add_output_options, date_arg, error, load_model, path_arg, progress, use_colour
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.output import threats_json
from tmdiag.output.diagnostics import printable, render_text, summary
from tmdiag.results import Finding, RiskLevel, Status, Summary

LEVELS = tuple(level.value for level in RiskLevel.highest_first())
STATUSES = tuple(status.value for status in Status)
COLOURS = {"critical": "\x1b[1;35m", "high": "\x1b[1;31m", "medium": "\x1b[33m", "low": "\x1b[36m", "info": "\x1b[2m"}
CSV_COLUMNS = ("rank", "risk", "score", "likelihood", "impact", "threat_id", "title", "severity", "target_kind",
               "target_id", "path", "line", "column", "owner", "status", "due", "overdue", "until",
               "justification", "controls", "ticket", "source", "mitigated_by", "evidence")  # fmt: skip

EXAMPLES = """\
examples:
  tmdiag threats examples/checkout.tm                 ranked table of findings
  tmdiag threats model.tm --min-risk high             only high and critical
  tmdiag threats model.tm -e --min-risk critical      why each applies, how its risk was computed
  tmdiag threats model.tm --status open --fail-on high    CI gate: exit 1 on open high/critical
  tmdiag threats model.tm --format json --today 2026-11-27 > threats.json
  tmdiag threats model.tm --format csv > threats.csv
  tmdiag threats model.tm --format github > issues.json   the plan as issues, one per owner
  tmdiag threats model.tm --pytm-parity                 exactly what raw pytm 1.4 finds
  tmdiag threats model.tm --against infra/              with drift from the Terraform (open ports, …)
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "threats", help="enumerate threats (pytm + custom rules), ranked by risk", description=__doc__,
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", type=path_arg, metavar="FILE", help="the .tm model")
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv", "github"),
        default="text",
        help="output format; github: the plan as GitHub issues (JSON for `gh issue create`)",
    )
    parser.add_argument(
        "--group",
        choices=("owner", "risk"),
        default="owner",
        help="--format github: one issue per owner (default) or per risk",
    )
    parser.add_argument("--min-risk", choices=LEVELS, default="info", help="hide findings below this risk level")
    parser.add_argument("--status", type=_statuses, default=None, metavar="S[,S]",
                        help="show only these statuses, e.g. `open` or `open,accepted`")  # fmt: skip
    parser.add_argument("--fail-on", choices=(*LEVELS, "never"), default="never",
                        help="exit 1 when an open finding is at or above this level (default: never)")  # fmt: skip
    parser.add_argument("--today", type=date_arg, default=None, metavar="YYYY-MM-DD",
                        help="the date accepted risks expire against (default: today)")  # fmt: skip
    parser.add_argument("--no-lint", action="store_true",
                        help="threats only: leave out what the lint rules find (open security groups, …)")  # fmt: skip
    parser.add_argument("--pytm-parity", action="store_true",
                        help="exactly raw pytm 1.4's findings: its own conditions (no errata) and check(), "
                             "no facts closing threats, no custom rules, no lint (docs/threats.md)")  # fmt: skip
    parser.add_argument("-e", "--evidence", action="store_true",
                        help="text: print each finding's evidence and risk explanation under its row")  # fmt: skip
    add_against_option(parser)
    add_output_options(parser)
    return parser


def _statuses(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip() for s in text.split(",") if s.strip())
    wrong = [s for s in chosen if s not in STATUSES]
    if wrong or not chosen:
        raise argparse.ArgumentTypeError(f"unknown status {', '.join(wrong) or text!r}; use {', '.join(STATUSES)}")
    return chosen


def run(args: argparse.Namespace) -> int:
    from tmdiag import pipeline
    from tmdiag.lint.config import ConfigError

    lint = not (args.no_lint or args.pytm_parity)  # parity: pytm's findings only
    if args.against and not lint:
        error("--against compares with the drift rules, which --no-lint and --pytm-parity leave out")
        return EXIT_ERROR
    loaded = load_model(args, args.path, "no threats enumerated")
    infra = read_against(args, "no threats enumerated")
    try:
        with progress(args) as step:
            analysis = pipeline.analyze(loaded, today=args.today, lint=lint, parity=args.pytm_parity, step=step,
                                        infrastructure=infra)  # fmt: skip
    except ConfigError as problem:
        error(str(problem))
        return EXIT_ERROR
    model, every, problems = analysis.model, analysis.findings, list(analysis.diagnostics)
    floor = RiskLevel(args.min_risk)
    shown = [f for f in every if f.risk >= floor and (args.status is None or f.status in args.status)]
    if args.format == "json":
        threats_json.write(sys.stdout, model, analysis.today, shown, summary=analysis.summary,
                           excluded=analysis.excluded, diagnostics=problems)  # fmt: skip
    elif args.format == "csv":
        sys.stdout.write(_csv(shown, analysis.today))
        _print_diagnostics(args, problems, model.sources, sys.stderr)
    elif args.format == "github":
        from tmdiag.report.issues import render

        sys.stdout.write(render(model, shown, analysis.today, args.group))
        _print_diagnostics(args, problems, model.sources, sys.stderr)
    else:
        colour = use_colour(args)
        sys.stdout.write(_table(shown, colour, args.evidence))
        _print_diagnostics(args, problems, model.sources, sys.stdout)
        if not args.quiet:
            print(_summary(every, shown))
    failed = any(d.severity >= Severity.ERROR for d in problems)
    if args.fail_on != "never":
        limit = RiskLevel(args.fail_on)
        failed = failed or any(f.is_open and f.risk >= limit for f in every)
    return EXIT_FINDINGS if failed else EXIT_OK


def _print_diagnostics(
    args: argparse.Namespace, found: list[Diagnostic], sources: Mapping[str, str], stream: TextIO
) -> None:
    if not found:
        return
    colour = use_colour(args, stream)
    for d in found:
        print(render_text(d, sources, colour) + "\n", file=stream)
    if not args.quiet and stream is sys.stdout:
        print(summary(found, 1), file=stream)


def _table(findings: list[Finding], colour: bool, evidence: bool = False) -> str:
    header = ("#", "risk", "threat", "element", "owner", "status")
    rows = [(str(f.rank), f.risk.value, printable(f"{f.threat_id} {f.title}"), f"{f.target_kind} {f.target_id}",
             f.owner or "-", f.status.value + (f" ({', '.join(f.controls)})" if f.controls else ""))
            for f in findings]  # fmt: skip
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
                out.write(f"{indent}because {printable(fact)}\n")
            out.write(f"{indent}risk: {printable(finding.explanation)}\n")
    return out.getvalue()


def _summary(every: Sequence[Finding], shown: list[Finding]) -> str:
    summary = Summary.of(every)
    counts = summary.open_counts()
    hidden = f" ({len(every) - len(shown)} hidden by filters)" if len(shown) != len(every) else ""
    busy = summary.by_status.get(Status.IN_PROGRESS, 0)
    doing = f" ({busy} in progress)" if busy else ""
    return f"{len(every)} findings{hidden}; {summary.open} open{doing}" + (f": {counts}" if counts else "")


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) starts with `'` (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(findings: list[Finding], today: datetime.date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        ticket = f.decision.get("ticket") if f.decision is not None else ""
        until = f.decision.get("until") if f.decision is not None else None
        reason = str(f.decision.get("justification") or "") if f.decision is not None else ""
        due = f.due.isoformat() if f.due else ""
        overdue = "yes" if f.overdue else ""
        writer.writerow(map(_cell, [f.rank, f.risk, f.score, f.likelihood, f.impact, f.threat_id, f.title, f.severity,
                         f.target_kind, f.target_id, f.span.path, f.span.line, f.span.column, f.owner or "",
                         f.status, due, overdue, until.isoformat() if until else "", reason, " ".join(f.controls),
                         ticket or "", f.source,
                         " | ".join(f.mitigated_by), " | ".join(f.evidence)]))  # fmt: skip
    return out.getvalue()
