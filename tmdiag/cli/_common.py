"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO


def add_colour_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (default: only on a terminal, never with NO_COLOR)",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    add_colour_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems, no summary")


def use_colour(args: argparse.Namespace, stream: TextIO | None = None) -> bool:
    choice = getattr(args, "color", "auto")
    if choice != "auto":
        return bool(choice == "always")
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


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
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def error(message: str) -> None:
    print(f"tmdiag: error: {message}", file=sys.stderr)


Step = Callable[[str], None]


def no_progress(_message: str) -> None:
    """A `Step` that shows nothing."""


@contextlib.contextmanager
def progress(args: argparse.Namespace) -> Iterator[Step]:
    """A status line on stderr for long work: only on a terminal, never in CI or with --quiet."""
    if getattr(args, "quiet", False) or os.environ.get("CI") or not sys.stderr.isatty():
        yield no_progress
        return
    from rich.console import Console

    with Console(stderr=True).status("working…") as status:
        yield lambda message: status.update(message)
