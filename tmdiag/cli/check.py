"""`tmdiag check`: parse, resolve and validate models; report every problem."""

from __future__ import annotations

import argparse
import sys

from tmdiag.api import check_file
from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import add_output_options, error, expand_paths, use_colour
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.output.diagnostics import render_json, render_text, summary

EXAMPLES = """\
examples:
  tmdiag check examples/checkout.tm
  tmdiag check examples/                  every .tm file below a folder
  tmdiag check --format json model.tm     diagnostics as JSON
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "check", help="parse, validate and lint models", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".tm files or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_output_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    files, missing = expand_paths(args.paths)
    for path in missing:
        error(f"no such file or folder: {path}")
    if missing or not files:
        if not files and not missing:
            error("no .tm files found")
        return EXIT_ERROR
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    io_failure = False
    for path in files:
        model, found = check_file(path)
        if model is None:
            io_failure = True
        else:
            sources.update(model.sources)
        diagnostics.extend(found)
    if args.format == "json":
        sys.stdout.write(render_json(diagnostics))
    else:
        colour = use_colour(args)
        for d in diagnostics:
            print(render_text(d, sources, colour) + "\n")
        if not args.quiet:
            print(summary(diagnostics, len(files)))
    if io_failure:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(d.severity >= Severity.ERROR for d in diagnostics) else EXIT_OK
