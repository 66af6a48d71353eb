"""`tmdiag lsp`: the language server for editors, over stdio (see docs/lsp.md)."""

from __future__ import annotations

import argparse
import logging
import sys

from tmdiag.cli import EXIT_ERROR
from tmdiag.cli._common import error, path_arg

EXAMPLES = """\
examples:
  tmdiag lsp                       serve one editor session on stdin/stdout
  tmdiag lsp --no-threats          never start pytm (hovers then show no threat counts)
  tmdiag lsp --log /tmp/tmdiag-lsp.log --verbose

Editors start it themselves: see docs/lsp.md for VS Code and Neovim.
"""

TTY_NOTE = (
    "tmdiag lsp: this is the language server; it speaks LSP on stdin/stdout and editors start it "
    "(docs/lsp.md). Ctrl-C or Ctrl-D quits.\n"
)


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "lsp", help="language server for editors (stdio)", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--stdio", action="store_true", help="use stdin/stdout (the default; accepted for editors)")
    parser.add_argument("--no-threats", action="store_true", help="do not run pytm for threat counts in hovers")
    parser.add_argument("--log", type=path_arg, metavar="FILE", help="write the server's log to FILE (never to stdout)")
    parser.add_argument("--verbose", action="store_true", help="log debug messages")
    return parser


def run(args: argparse.Namespace) -> int:
    from tmdiag.lsp.server import TmLanguageServer, run_stdio

    level = logging.DEBUG if args.verbose else logging.WARNING
    if args.log:
        try:
            logging.basicConfig(filename=args.log, level=level)
        except OSError as problem:
            error(f"cannot write the log {args.log}: {problem.strerror or problem}")
            return EXIT_ERROR
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.ERROR)

    if sys.stdin.isatty():  # typed by hand: say what this is instead of waiting silently
        sys.stderr.write(TTY_NOTE)
        sys.stderr.flush()

    def configure(server: TmLanguageServer) -> None:
        server.threats_enabled = not args.no_threats

    return run_stdio(configure)
