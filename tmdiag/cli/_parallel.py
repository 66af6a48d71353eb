"""Work on many files in a pool of processes (`-j N`), with results in the files' order.

`each(work, files, jobs, setup, *setup_args)` gives `work(file)` for every file, in order, as one
process would: commands print nothing until every result is in, so their output does not depend
on the number of processes. `setup(*setup_args)` prepares what `work` reads (and loads what it
needs: forked processes start with it); both are module-level functions (a process started by
`spawn` imports them by name).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def add_jobs_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "-j", "--jobs", type=_count, default=0, metavar="N",
        help=f"{what} in N processes (default: one per CPU core; 1: all in this process); the output is the same",
    )  # fmt: skip


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes (1 or more): {text}")
    return value


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def each(
    work: Callable[[Item], Result], items: Sequence[Item], jobs: int, setup: Callable[..., None], *setup_args: Any
) -> Iterator[Result]:
    """`work(item)` for each item, in the items' order; in up to `jobs` processes (0: one per core)
    when there is more than one item, else here. `setup` runs here first: forked processes
    inherit what it prepared (and what it loaded: lint rules, the parser); others run it too."""
    setup(*setup_args)
    processes = min(jobs or cores(), len(items))
    if processes <= 1:
        yield from map(work, items)
        return
    import multiprocessing  # here: a single file needs no pool, and start-up counts

    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    start = (_start, (None, ())) if forking else (_start, (setup, setup_args))
    chunk = max(1, min(32, len(items) // (processes * 8)))  # small enough to even out big and small files
    with context.Pool(processes, *start) as pool:
        yield from pool.imap(work, items, chunk)


def _start(setup: Callable[..., None] | None, setup_args: tuple[Any, ...]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    if setup is not None:
        setup(*setup_args)
