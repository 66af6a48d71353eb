"""The `tmdiag` command. Thin: each subcommand is a module here with `register` and `run`.

Start-up stays cheap: only the module of the subcommand being run is imported (all of them only
for `tmdiag --help` and usage errors), and each module imports its heavy parts inside `run`.

Exit codes, like ruff: 0 clean, 1 findings, 2 usage or I/O errors.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence

from tmdiag.cli._stdout import Guarded, StdoutFailed
from tmdiag.version import __version__

# Every subcommand, one entry each: its name → its module in this package, in the order `--help`
# lists them. A module added to this package without an entry here fails tests/cli/test_registry.py.
COMMANDS = {
    "check": "check", "threats": "threats", "diagram": "diagram", "report": "report", "diff": "diff",
    "export": "export", "fmt": "fmt", "rules": "rules", "import": "import_", "drift": "drift", "lsp": "lsp",
}  # fmt: skip
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SERVING = frozenset({"lsp"})  # commands that run until their client leaves: they exit the usual way

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


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the subcommands named (default: all of them, in `COMMANDS` order)."""
    parser = argparse.ArgumentParser(
        prog="tmdiag",
        description="Threat modeling as code: check, lint, enumerate threats, draw and report .tm models.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tmdiag {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if commands is None else commands:
        module = importlib.import_module(f"tmdiag.cli.{COMMANDS[name]}")
        command = module.register(sub)
        command.set_defaults(run=module.run)
    return parser


def _needed(argv: Sequence[str]) -> Sequence[str] | None:
    """The subcommands the parser needs for this command line: the one named; none for `--version`;
    all (None) when it lists them (`--help`, no arguments, an unknown command)."""
    at = next((i for i, a in enumerate(argv) if not a.startswith("-")), len(argv))
    options = set(argv[:at])  # the top-level options: before the subcommand's name
    if {"-h", "--help"} & options or not argv:
        return None
    if at == len(argv):
        return ()
    return (argv[at],) if argv[at] in COMMANDS else None


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an unknown option is reported with its command's usage, not the top level's."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        command = subparsers.choices.get(args.command) if args.command else None
        (command or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv)[0]


def _main(argv: Sequence[str] | None) -> tuple[int, str | None]:
    """The exit code, and the command that ran."""
    whole_process = argv is None  # `tmdiag …`, not a caller in Python (tests)
    argv = list(sys.argv[1:] if argv is None else argv)
    real = sys.stdout
    sys.stdout = Guarded(real)  # type: ignore[assignment]
    try:
        with _collecting_later(freeze=whole_process):
            parser = build_parser(_needed(argv))
        try:
            args = _parse(parser, argv)
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
                return EXIT_ERROR, None
            _flush_or_fail()
            return EXIT_ERROR, None
        if args.command in SERVING:  # stdout carries the protocol; the server handles its own streams
            sys.stdout = real
            return int(args.run(args)), args.command
        return _run(args), args.command
    finally:
        sys.stdout = real


def _flush_or_fail() -> None:
    try:
        sys.stdout.flush()
    except StdoutFailed as failed:
        _failed(failed)
        raise SystemExit(EXIT_ERROR) from None
    except BrokenPipeError:
        from tmdiag.cli._common import silence_stdout  # here: `--version` imports no command's helpers

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


@contextlib.contextmanager
def _collecting_later(freeze: bool) -> Iterator[None]:
    """No garbage collection while the command's modules are imported (they allocate much and free
    little). With `freeze`, what they made stays out of later collections (`gc.freeze`): only for a
    process that is tmdiag, since frozen objects are never collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def entry() -> None:
    code, command = _main(None)
    if command in SERVING or sys.getprofile() or sys.gettrace():  # a profiler or coverage writes at exit
        sys.exit(code)
    _exit_now(code)


def _exit_now(code: int) -> None:
    """Exit once the output is out and the exit handlers ran, without freeing every object first:
    after a big run (90,000 findings) that teardown alone takes ~0.6 s. (mypy exits the same way.)"""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # closed when tmdiag started (`>&-`)
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (`| head`): what is left cannot be written
            from tmdiag.cli._common import silence_stdout

            silence_stdout()
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()
    os._exit(code)
