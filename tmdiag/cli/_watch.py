"""`--watch` for `report` and `diagram`: build, then build again whenever the model or a file it
imports changes (watchfiles), until Ctrl-C (exit 0). A build that fails prints its diagnostics and
leaves the last good output in place (outputs are written atomically, and only on success); the
watch goes on. Changes within a short debounce are one rebuild."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

DEBOUNCE_MS = 200


def watched(path: str, sources: list[str]) -> set[Path]:
    """The files a build read: the entry file and every import (as the loader displayed them)."""
    files = {Path(path).resolve()}
    for shown in sources:
        candidate = Path(shown)
        if candidate.exists():
            files.add(candidate.resolve())
    return files


def watch(path: str, build: Callable[[], list[str]], quiet: bool = False) -> int:
    """Run `build` (it returns the paths of the files it read) now and after every change."""
    from watchfiles import watch as changes_of

    try:
        files = watched(path, build())
        while True:
            folders = sorted({str(f.parent) for f in files})
            _say(f"watching {len(files)} file{'s' if len(files) != 1 else ''} for changes (Ctrl-C to stop)", quiet)

            def relevant(_change: object, changed: str, files: set[Path] = files) -> bool:
                target = Path(changed)
                return target.suffix == ".tm" or target.resolve() in files

            for batch in changes_of(*folders, watch_filter=relevant, debounce=DEBOUNCE_MS, step=20,
                                    recursive=False, raise_interrupt=True):  # fmt: skip
                names = sorted({Path(p).name for _, p in batch})
                _say(f"changed: {', '.join(names)}; rebuilding", quiet)
                again = watched(path, build())
                if again != files:  # an import added or removed: watch the new set of folders
                    files = again
                    break
    except KeyboardInterrupt:
        _say("stopped", quiet)
        return 0
    return 0


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"tmdiag: {message}", file=sys.stderr, flush=True)
