"""Writing output files atomically: a failed run leaves earlier outputs intact.

Every file is first written in full to a temporary file beside its target; only when all of them
are written are they renamed into place. A failure before that leaves every earlier file as it
was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write one file: a temporary file beside `path`, then renamed over it."""
    write_all_atomic({path: data})


def write_all_atomic(files: Mapping[str | Path, bytes | str]) -> list[Path]:
    """Write several files, all or nothing; returns the paths written. When a rename fails, the
    files already renamed are put back as they were (OSError names the file that failed)."""
    staged: list[tuple[str, Path]] = []
    done: list[tuple[Path, str | None]] = []  # (target, hard link to its earlier content)
    try:
        for path, data in files.items():
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, data), target))
        for temp, target in staged:
            backup = _keep(target)
            try:
                os.replace(temp, target)
            except OSError:
                if backup is not None:
                    Path(backup).unlink(missing_ok=True)
                raise
            done.append((target, backup))
        for _, backup in done:
            if backup is not None:
                Path(backup).unlink(missing_ok=True)
        return [target for _, target in staged]
    except BaseException:
        _roll_back(done)
        raise
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)


def _keep(target: Path) -> str | None:
    """A hard link to the file about to be replaced, to put it back if a later rename fails."""
    if not target.is_file():
        return None
    backup = str(target.with_name(f".{target.name}.{os.getpid()}.bak"))
    try:
        Path(backup).unlink(missing_ok=True)
        os.link(target, backup)
    except OSError:  # no hard links here: that file cannot be restored
        return None
    return backup


def _roll_back(done: list[tuple[Path, str | None]]) -> None:
    for target, backup in reversed(done):
        try:
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            continue


def _stage(target: Path, data: bytes | str) -> str:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _mode_for(target))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; new files get the usual 0666 less the umask (mkstemp uses 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
