"""`tmdiag import terraform`: the Terraform format of `tmdiag import`."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.iac import read
from tmdiag.iac.draft import draft as draft_model


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the model's name (default: the folder or file name)")


def draft(args: argparse.Namespace) -> tuple[str | None, list[Diagnostic], dict[str, str]]:
    """The drafted text (None when nothing could be read), the problems met, and the sources to quote."""
    source = Path(args.source)
    infra = read(source)
    problems = infra.problems
    if any(p.code == "E502" for p in problems) or (problems and not infra.resources):
        return None, problems, _sources(problems)
    name = args.name or (source.resolve().name if source.is_dir() else source.stem)
    return draft_model(infra, name, args.source), problems, _sources(problems)


def _sources(problems: list[Diagnostic]) -> dict[str, str]:
    """The text of the files diagnostics point into, so that they show the line and a caret."""
    out: dict[str, str] = {}
    for d in problems:
        if d.severity >= Severity.INFO and d.span.in_file and d.span.path not in out:
            with contextlib.suppress(OSError):
                out[d.span.path] = Path(d.span.path).read_text(encoding="utf-8-sig", errors="replace")
    return out
