"""The `tmdiag` command. Thin: each subcommand is a module here with `register` and `run`.

Exit codes, like ruff: 0 clean, 1 findings, 2 usage or I/O errors.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from tmdiag.cli._stdout import Guarded, StdoutFailed
from tmdiag.version import __version__

# Subcommands in the order `--help` lists them; a module added to this package registers itself.
ORDER = ("check", "threats", "diagram", "report", "diff", "export", "fmt", "rules", "import_", "drift", "lsp")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EPILOG = """\
examples:
  tmdiag check examples/checkout.tm          check a model (exit 1 on problems)
  tmdiag check --format json models/         diagnostics for machines
  tmdiag threats examples/checkout.tm        threats ranked by risk
  tmdiag report examples/checkout.tm -o out/ linked HTML + Markdown report
  tmdiag import terraform infra/ -o model.tm  draft a model from Terraform
  tmdiag drift model.tm --terraform infra/   the model's claims against the infrastructure

exit codes: 0 clean, 1 findings, 2 usage or I/O error
"""


def _commands() -> list[str]:
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    return [c for c in ORDER if c in found] + sorted(found - set(ORDER))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tmdiag",
        description="Threat modeling as code: check, lint, enumerate threats, draw and report .tm models.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tmdiag {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _commands():
        module = importlib.import_module(f"tmdiag.cli.{name}")
        command = module.register(sub)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    real = sys.stdout
    sys.stdout = Guarded(real)  # type: ignore[assignment]
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit:  # --help, --version and usage errors: their output must reach stdout too
            _flush_or_fail()
            raise
        except StdoutFailed as failed:
            _failed(failed)
            raise SystemExit(EXIT_ERROR) from None
        if not getattr(args, "run", None):
            try:
                parser.print_help()
            except StdoutFailed as failed:
                _failed(failed)
                return EXIT_ERROR
            _flush_or_fail()
            return EXIT_ERROR
        if args.command == "lsp":  # stdout carries the protocol; the server handles its own streams
            sys.stdout = real
            return int(args.run(args))
        return _run(args)
    finally:
        sys.stdout = real


def _flush_or_fail() -> None:
    from tmdiag.cli._common import silence_stdout

    try:
        sys.stdout.flush()
    except StdoutFailed as failed:
        _failed(failed)
        raise SystemExit(EXIT_ERROR) from None
    except BrokenPipeError:
        silence_stdout()


def _failed(failed: StdoutFailed) -> None:
    from tmdiag.cli._common import error, silence_stdout

    silence_stdout()
    error(f"cannot write to standard output: {failed}")


def _run(args: argparse.Namespace) -> int:
    from tmdiag.cli._common import Exit, error, silence_stdout
    from tmdiag.pipeline import TooLarge

    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a write that fails fails here at the latest, not in Python's exit
        return code
    except Exit as stop:
        return stop.code
    except TooLarge as problem:
        error(str(problem))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
    except StdoutFailed as failed:
        _failed(failed)
        return EXIT_ERROR


def entry() -> None:
    sys.exit(main())
