"""The infrastructure options that check, drift, threats and report share (`--against`,
`--var-file`) and reading what they name. Apart from tmdiag.cli.drift, so that the commands that
take them import no other command.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS
from tmdiag.cli._common import error, path_arg
from tmdiag.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure


def add_var_file_option(parser: argparse.ArgumentParser) -> None:
    from tmdiag.iac import VAR_FILE_HELP

    parser.add_argument("--var-file", action="append", default=[], type=path_arg, metavar="FILE", dest="var_files",
                        help=VAR_FILE_HELP)  # fmt: skip


def add_against_option(parser: argparse.ArgumentParser) -> None:
    """`--against PATH` for the commands that build the risk register (`threats`, `report`)."""
    parser.add_argument("--against", type=path_arg, metavar="PATH",
                        help="also compare the model with this infrastructure (a folder of .tf files or `terraform "
                        "show -json` output): drift that is a risk (TM702-TM708) joins the register")  # fmt: skip
    add_var_file_option(parser)


def read_against(args: argparse.Namespace, consequence: str) -> Infrastructure | None:
    """The infrastructure `--against` names (None without it). Its problems go to stderr; nothing to
    read is exit 2 and a file that does not parse exit 1 (raised as Exit): a register that silently
    misses the drift in that file would look clean."""
    from tmdiag.cli._common import Exit, use_colour
    from tmdiag.output.diagnostics import render_text

    if args.var_files and not args.against:
        error("--var-file goes with --against (a folder of .tf files)")
        raise Exit(EXIT_ERROR)
    if not args.against:
        return None
    infra, problems, usable = read_terraform(args.against, args.var_files)
    colour = use_colour(args, sys.stderr)
    for problem in problems:
        print(render_text(problem, infra.texts, colour) + "\n", file=sys.stderr)
    if not usable or any(p.severity >= Severity.ERROR for p in problems):
        error(f"cannot compare with {args.against} ({consequence})")
        raise Exit(EXIT_ERROR if not usable else EXIT_FINDINGS)
    return infra


def read_terraform(path: str, var_files: list[str] | None = None) -> tuple[Infrastructure, list[Diagnostic], bool]:
    """The infrastructure, the problems met reading it, and whether it can be compared with at all."""
    from tmdiag.iac import read

    try:
        infra = read(path, tuple(var_files or ()))
    except ImportError as missing:  # python-hcl2 is a dependency; a broken install says so plainly
        raise SystemExit(f"tmdiag: error: cannot read Terraform: {missing}") from None
    return infra, list(infra.problems), infra.usable
