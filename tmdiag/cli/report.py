"""`tmdiag report`: one linked report of a model — report.html (self-contained), report.md,
dfd.svg and threats.json — written atomically into a folder.

The model is checked first; a model with errors writes nothing (an earlier report stays).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tmdiag.cli import EXIT_ERROR, EXIT_OK
from tmdiag.cli._against import add_against_option, read_against
from tmdiag.cli._common import Exit, add_output_options, date_arg, error, folder_arg, path_arg, progress, try_load

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure
    from tmdiag.lint.config import LintConfig
    from tmdiag.pipeline import Loaded

EXAMPLES = """\
examples:
  tmdiag report examples/checkout.tm -o out          out/report.html, report.md, dfd.svg, threats.json
  tmdiag report model.tm -o docs/tm --today 2026-12-01   review status and expiry as of a date
  tmdiag report model.tm -o out --date 2026-12-01    also stamp "generated on" (otherwise no dates)
  tmdiag report model.tm -o out --template my-templates/   your own report.html.j2 / report.md.j2
  tmdiag report model.tm -o out --no-diagram         skip Graphviz (fast, for CI on huge models)
  tmdiag report big.tm -o out                        over 500 findings: also linked pages (threats-1.html …)
  tmdiag report model.tm -o out --watch              rebuild on every change of the model or its imports
  tmdiag report model.tm -o out --against infra/     the register with drift from the Terraform (docs/iac.md)
  tmdiag report model.tm -o docs/tm --diagram-format mermaid   report.md embeds Mermaid (GitHub draws it)

exit codes: 0 report written, 1 the model (or --against's Terraform) has errors (nothing written),
            2 usage, configuration, I/O or template error
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="write the linked HTML + Markdown report", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", type=path_arg, metavar="FILE", help="the .tm model")
    parser.add_argument("-o", "--output", type=path_arg, metavar="DIR", default="report",
                        help="output folder, created when missing (default: report)")  # fmt: skip
    parser.add_argument(
        "--template",
        metavar="DIR",
        type=folder_arg,
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
    parser.add_argument(
        "--pytm-parity",
        action="store_true",
        help="threats exactly as raw pytm 1.4 finds them (no errata, no facts closing threats, no custom rules)",
    )
    parser.add_argument(
        "--diagram-format",
        choices=("svg", "mermaid"),
        default="svg",
        help="how report.md shows the diagram: a link to dfd.svg (default) or an inline Mermaid flowchart",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="what to print when done")
    parser.add_argument("--watch", action="store_true",
                        help="rebuild when the model or an imported file changes; Ctrl-C stops (exit 0)")  # fmt: skip
    add_against_option(parser)
    add_output_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.template is not None and not args.template.is_dir():
        error(f"no such template folder: {args.template}")
        return EXIT_ERROR
    if args.against and args.pytm_parity:
        error("--against compares with the drift rules, which --pytm-parity leaves out of the register")
        return EXIT_ERROR
    if args.watch:
        from tmdiag.cli._watch import watch

        return watch(args.path, lambda: _build(args)[1], args.quiet)
    return _build(args)[0]


def _build(args: argparse.Namespace) -> tuple[int, list[str]]:
    """Build and write the report: (exit code, the files read)."""
    from tmdiag.lint.config import ConfigError, load_config

    today = args.today or args.date or datetime.date.today()
    kept = "; the last report stays" if args.watch else ""
    try:  # a bad configuration stops the run before any work (exit 2), as in `check`
        config = load_config(Path(args.path).resolve().parent)
    except ConfigError as problem:
        error(f"{problem} (nothing written{kept})")
        return EXIT_ERROR, []
    if os.path.exists(args.output) and not os.path.isdir(args.output):  # said before the work, not after it
        error(f"-o {args.output} is a file: name a folder (a report is several files; nothing written)")
        return EXIT_ERROR, []
    loaded, code = try_load(args, args.path, f"no report written{kept}")
    if loaded is None or code:
        return code, list(loaded.sources) if loaded is not None else []
    try:
        infra = read_against(args, f"no report written{kept}")
    except Exit as stop:
        return stop.code, list(loaded.sources)
    return _report(args, loaded, today, config, infra), list(loaded.sources)


def _report(
    args: argparse.Namespace, loaded: Loaded, today: datetime.date, config: LintConfig, infra: Infrastructure | None
) -> int:
    from tmdiag import pipeline
    from tmdiag.lint.config import ConfigError
    from tmdiag.report import ReportError, write_report

    try:
        with progress(args) as step:
            analysis = pipeline.analyze(loaded, today=today, lint=config, parity=args.pytm_parity, step=step,
                                        infrastructure=infra)  # fmt: skip
            built = pipeline.report(analysis, template=args.template, generated=args.date, draw=not args.no_diagram,
                                    mermaid=args.diagram_format == "mermaid", step=step)  # fmt: skip
    except (ReportError, ConfigError, OSError, pipeline.TooLarge) as problem:
        error(f"{problem} (nothing written)")
        return EXIT_ERROR
    except Exception as problem:  # a bug in an analysis: say so, keep the earlier report
        error(f"internal error while building the report: {type(problem).__name__}: {problem} (nothing written)")
        return EXIT_ERROR
    try:
        written = write_report(args.output, built.files)
    except OSError as problem:  # WriteFailed names the file; the earlier report is as it was
        error(f"cannot write {problem.filename or args.output}: {problem.strerror or problem} "
              "(nothing written; an earlier report is unchanged)")  # fmt: skip
        return EXIT_ERROR
    summary = built.summary
    if args.format == "json":
        document = {"files": [str(p) for p in written], "summary": summary.to_dict()}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif not args.quiet:
        report = Path(args.output) / "report.html"
        print(f"Report: {report}  ({summary.total} findings; open: {summary.open_counts() or 'none'})")
        pages = sum(1 for name in built.files if name.endswith(".html") and name != "report.html")
        linked = f" and {pages} linked pages" if pages else ""
        print(f"        also report.md, dfd.svg, threats.json{linked} in {args.output}")
    return EXIT_OK
