"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tmdiag.diagnostics import TmdiagError
from tmdiag.inputs import kind_of
from tmdiag.output.diagnostics import render_text
from tmdiag.pipeline import Step as Step
from tmdiag.pipeline import no_progress as no_progress

if TYPE_CHECKING:
    from tmdiag.pipeline import Loaded


def add_colour_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (default: only on a terminal, never with NO_COLOR)",
    )


def add_output_options(parser: argparse.ArgumentParser, quiet: str = "print only problems, no summary") -> None:
    add_colour_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help=quiet)


def use_colour(args: argparse.Namespace, stream: TextIO | None = None) -> bool:
    choice = getattr(args, "color", "auto")
    if choice != "auto":
        return bool(choice == "always")
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def path_arg(text: str) -> str:
    """A path argument: an empty one is a usage error, never the current folder (`tmdiag fmt "$UNSET"`
    would otherwise rewrite every model below it)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path (is a shell variable unset?)")
    return text


def folder_arg(text: str) -> Path:
    return Path(path_arg(text))


def codes(text: str) -> list[str]:
    """`--select TM2,TM401`: rule codes or prefixes."""
    return [part.strip() for part in text.split(",") if part.strip()]


def date_arg(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from error


def expand_paths(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files named, and `.tm` files found under folders named. Also returns paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.tm") if ".venv" not in p.parts))
        elif path.exists():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


def silence_stdout() -> None:
    """After the reader of our output went away (`| head`): drop what is still to be written, so that
    Python's flush at exit does not fail again with a BrokenPipeError."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def error(message: str) -> None:
    print(f"tmdiag: error: {message}", file=sys.stderr)


def warning(message: str) -> None:
    print(f"tmdiag: warning: {message}", file=sys.stderr)


class Exit(TmdiagError):
    """Stop the command with this exit code; what to say was said already."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def refuse(
    args: argparse.Namespace,
    loaded: Loaded,
    consequence: str,
    stream: TextIO | None = None,
    hint: str | None = None,
    name: str | None = None,
) -> int:
    """Print why a model cannot be used: its errors, each with its source line from the files that
    were loaded (imports included), then one line saying what was not done. Returns the exit code:
    2 when the model could not be read, 1 when it has errors. Diagnostics go to stderr: the
    commands that refuse print data on stdout."""
    stream = stream or sys.stderr
    colour = use_colour(args, stream)
    shown = loaded.errors or loaded.diagnostics
    for d in shown:
        print(render_text(d, loaded.sources, colour) + "\n", file=stream)
    if loaded.model is None:
        return 2
    count = f"{len(shown)} error{'s' if len(shown) != 1 else ''}"
    how = hint or f"run `tmdiag check {name or loaded.path}`"
    print(f"tmdiag: error: {name or loaded.path} has {count}; {consequence} ({how})", file=stream)
    return 1


def load_model(args: argparse.Namespace, path: str, consequence: str) -> Loaded:
    """Load a model for a command that needs one without errors; refuses (raises Exit) otherwise."""
    loaded, code = try_load(args, path, consequence)
    if loaded is None or code:
        raise Exit(code)
    return loaded


def try_load(args: argparse.Namespace, path: str, consequence: str) -> tuple[Loaded | None, int]:
    """`load_model` without raising: (loaded, 0) for a usable model; else, after printing why, what
    was read (None when nothing) and the exit code (`--watch` keeps watching the files read)."""
    problem = _not_a_model_file(path)
    if problem:
        error(problem)
        return None, 2
    from tmdiag import pipeline

    loaded = pipeline.load(path)
    if loaded.model is None or loaded.errors:
        return loaded, refuse(args, loaded, consequence)
    return loaded, 0


def _not_a_model_file(path: str) -> str | None:
    """Why `path` cannot be read as a model, in one line; None when it is a regular file."""
    if not path:
        return "empty path: name a .tm file"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"no such file: {path}"
    except OSError as problem:
        return f"cannot read {path}: {problem.strerror or problem}"
    if stat.S_ISDIR(mode):
        return f"{path} is a folder: name the model's .tm file (its imports are read from it)"
    if not stat.S_ISREG(mode):
        return f"cannot read {path}: {kind_of(mode)}, not a regular file"
    return None


@contextlib.contextmanager
def progress(args: argparse.Namespace) -> Iterator[Step]:
    """A status line on stderr for long work: only on a terminal, never in CI or with --quiet."""
    if getattr(args, "quiet", False) or os.environ.get("CI") or not sys.stderr.isatty():
        yield no_progress
        return
    from rich.console import Console

    with Console(stderr=True).status("working…") as status:
        yield lambda message: status.update(message)
