"""`tmdiag report`: one linked report of a model — report.html (self-contained), report.md,
dfd.svg and threats.json — written atomically into a folder.

The model is checked first; a model with errors writes nothing (an earlier report stays).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmdiag import __version__
from tmdiag.api import check_file
from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import Step, add_output_options, date_arg, error, no_progress, progress, use_colour
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.model.nodes import Model
from tmdiag.output.diagnostics import render_text
from tmdiag.report.context import ReportInputs

EXAMPLES = """\
examples:
  tmdiag report examples/checkout.tm -o out          out/report.html, report.md, dfd.svg, threats.json
  tmdiag report model.tm -o docs/tm --today 2026-12-01   review status and expiry as of a date
  tmdiag report model.tm -o out --date 2026-12-01    also stamp "generated on" (otherwise no dates)
  tmdiag report model.tm -o out --template my-templates/   your own report.html.j2 / report.md.j2
  tmdiag report model.tm -o out --no-diagram         skip Graphviz (fast, for CI on huge models)

exit codes: 0 report written, 1 the model has errors (nothing written), 2 usage, I/O or template error
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="write the linked HTML + Markdown report", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", metavar="FILE", help="the .tm model")
    parser.add_argument("-o", "--output", metavar="DIR", default="report", help="output folder (default: report)")
    parser.add_argument(
        "--template",
        metavar="DIR",
        type=Path,
        help="folder with your own report.html.j2 and/or report.md.j2 (see docs/report.md)",
    )
    parser.add_argument(
        "--today", metavar="DATE", type=date_arg, help="date for review status and expiry (default: --date, else today)"
    )
    parser.add_argument(
        "--date",
        metavar="DATE",
        type=date_arg,
        help="stamp the report as generated on DATE (no date is written otherwise)",
    )
    parser.add_argument("--no-diagram", action="store_true", help="do not draw the diagram (no Graphviz)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="what to print when done")
    add_output_options(parser)
    return parser


@dataclass
class Gathered:
    """Analysis results for a report; parts not installed or failing leave a note instead."""

    findings: list[Any] = field(default_factory=list)
    analysis_diagnostics: list[Diagnostic] = field(default_factory=list)
    lint_diagnostics: list[Diagnostic] = field(default_factory=list)
    diagram_svg: bytes = b""
    diagram_notes: list[str] = field(default_factory=list)
    diagram_views: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    excluded: list[Any] = field(default_factory=list)

    def inputs(self, model: Model, today: datetime.date, generated: datetime.date | None = None) -> ReportInputs:
        return ReportInputs(
            model=model, findings=self.findings, analysis_diagnostics=self.analysis_diagnostics,
            lint_diagnostics=self.lint_diagnostics, diagram_svg=self.diagram_svg.decode("utf-8"),
            diagram_notes=self.diagram_notes, today=today, generated=generated, notes=self.notes,
            diagram_views=[(bid, data.decode("utf-8")) for bid, data in self.diagram_views],
            excluded=self.excluded, tool_version=__version__,
        )  # fmt: skip


def gather(model: Model, today: datetime.date, draw: bool = True, step: Step = no_progress) -> Gathered:
    """Run threats, lint and the diagram over a checked model."""
    from tmdiag.lint import lint, load_config
    from tmdiag.threats import analyze

    out = Gathered()
    step(f"Enumerating threats with pytm ({len(model.elements)} elements, {len(model.flows)} flows)…")
    analysis = analyze(model, today=today)
    out.findings = list(analysis.findings)
    out.analysis_diagnostics = list(analysis.diagnostics)
    out.excluded = list(analysis.excluded)
    step("Linting…")
    out.lint_diagnostics = lint(model, load_config(Path(model.path).resolve().parent), today=today)
    if draw:
        from tmdiag.diagram import DiagramError, render

        step("Drawing the data-flow diagram with Graphviz…")
        try:
            diagram = render(model, fmt="svg", style="dfd", findings=out.findings)
        except DiagramError as problem:
            out.notes.append(f"The diagram was not drawn: {problem}")
        else:
            out.diagram_svg = diagram.data
            out.diagram_notes = list(diagram.notes)
            out.diagram_views = list(diagram.views)
    return out


def build(
    path: str,
    today: datetime.date,
    generated: datetime.date | None,
    template: Path | None,
    draw: bool = True,
    step: Step = no_progress,
) -> tuple[dict[str, bytes] | None, list[Diagnostic]]:
    """Check, analyse and render in memory. Returns (files or None when the model has errors, diagnostics)."""
    from tmdiag.report import render_report

    step(f"Checking {path}…")
    model, diagnostics = check_file(path)
    if model is None or any(d.severity >= Severity.ERROR for d in diagnostics):
        return None, diagnostics
    found = gather(model, today, draw, step)
    step("Rendering the report…")
    return render_report(found.inputs(model, today, generated), template), diagnostics


def run(args: argparse.Namespace) -> int:
    from tmdiag.lint.config import ConfigError
    from tmdiag.report import ReportError, write_report

    if not Path(args.path).is_file():
        error(f"no such file: {args.path}")
        return EXIT_ERROR
    if args.template is not None and not args.template.is_dir():
        error(f"no such template folder: {args.template}")
        return EXIT_ERROR
    today = args.today or args.date or datetime.date.today()
    try:
        with progress(args) as step:
            files, diagnostics = build(args.path, today, args.date, args.template, not args.no_diagram, step)
    except (ReportError, ConfigError) as problem:
        error(f"{problem} (nothing written)")
        return EXIT_ERROR
    except OSError as problem:
        error(f"{problem} (nothing written)")
        return EXIT_ERROR
    except Exception as problem:  # a bug in an analysis: say so, keep the earlier report
        error(f"internal error while building the report: {type(problem).__name__}: {problem} (nothing written)")
        return EXIT_ERROR
    if files is None:
        _print_problems(args, diagnostics)
        error(f"{args.path} has errors; no report written (run `tmdiag check {args.path}`)")
        return EXIT_FINDINGS if diagnostics else EXIT_ERROR
    try:
        written = write_report(args.output, files)
    except OSError as problem:
        error(f"cannot write the report into {args.output}: {problem}")
        return EXIT_ERROR
    summary = json.loads(files["threats.json"])["summary"]
    if args.format == "json":
        document = {"files": [str(p) for p in written], "summary": summary}
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
    elif not args.quiet:
        report = Path(args.output) / "report.html"
        risks = ", ".join(f"{n} {level}" for level, n in summary["open_by_risk"].items() if n) or "none"
        print(f"Report: {report}  ({summary['total']} threats; open: {risks})")
        print(f"        also report.md, dfd.svg, threats.json in {args.output}")
    return EXIT_OK


def _print_problems(args: argparse.Namespace, diagnostics: list[Diagnostic]) -> None:
    model_sources: dict[str, str] = {}
    with contextlib.suppress(OSError, UnicodeDecodeError):
        model_sources[args.path] = Path(args.path).read_text(encoding="utf-8")
    colour = use_colour(args, sys.stderr)
    for d in diagnostics:
        if d.severity >= Severity.ERROR:
            print(render_text(d, model_sources, colour) + "\n", file=sys.stderr)
