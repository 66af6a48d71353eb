"""Writing output files atomically: a failed run leaves earlier outputs intact.

Every file is first written in full (and fsynced) to a temporary file beside its target; only when
all of them are written are they renamed into place. A failure before that leaves every earlier
file as it was; a failed rename puts back the files already renamed (WriteFailed names the file).
Each rename is atomic, so a reader or a `kill -9` never sees a half-written file.

Temporaries carry the writer's process id: `.<name>.tmdiag-<pid>-<random>.tmp` and, for the copy
of a file being replaced, `.<name>.tmdiag-<pid>.bak`. A writer that was killed leaves them behind;
the next write of the same file removes them (and those of older tmdiag versions) once their
writer is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

STALE_AFTER = 60.0  # seconds: a temporary whose writer cannot be told is stale after this
_TEMPORARY = re.compile(
    r"^\.(?P<name>.+)\.(?:tmdiag-(?P<pid>\d+)(?:-[A-Za-z0-9]+\.tmp|\.bak)"  # this version
    r"|(?P<old_pid>\d+)\.bak|[A-Za-z0-9_]{8}\.tmp)$"  # older versions (mkstemp names, pid backups)
)


class WriteFailed(OSError):
    """A file could not be written; `filename` is the target, never a temporary."""

    def __init__(self, target: Path, cause: OSError):
        super().__init__(cause.errno or errno.EIO, cause.strerror or str(cause), str(target))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write one file: a temporary file beside `path`, then renamed over it."""
    write_all_atomic({path: data})


def write_all_atomic(files: Mapping[str | Path, bytes | str]) -> list[Path]:
    """Write several files, all or nothing; returns the paths written. Folders must exist. Raises
    WriteFailed naming the file that could not be written; the others are then as they were."""
    targets = [Path(p) for p in files]
    for folder, names in _by_folder(targets).items():
        clean_stale(folder, names)
    staged: list[tuple[str, Path]] = []
    done: list[tuple[Path, str | None]] = []  # (target, copy of its earlier content)
    try:
        for target, data in zip(targets, files.values(), strict=True):
            try:
                staged.append((_stage(target, data), target))
            except OSError as error:
                raise WriteFailed(target, error) from error
        for temp, target in staged:
            backup = _keep(target)
            try:
                os.replace(temp, target)
            except OSError as error:
                if backup is not None:
                    Path(backup).unlink(missing_ok=True)
                raise WriteFailed(target, error) from error
            done.append((target, backup))
        for _, backup in done:
            if backup is not None:
                Path(backup).unlink(missing_ok=True)
        return targets
    except BaseException:
        _roll_back(done)
        raise
    finally:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)


def clean_stale(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove temporaries of the files `names` in `folder` left by writers that are gone (killed,
    or an older tmdiag); returns what was removed. Other files are never touched."""
    wanted = set(names)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or match.group("name") not in wanted or not entry.is_file(follow_symlinks=False):
            continue
        pid = match.group("pid") or match.group("old_pid")
        if _stale(entry, int(pid) if pid else None):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def clean_stale_folders(folder: Path, prefix: str) -> list[Path]:
    """Remove hidden staging folders `<prefix>*` (of older tmdiag versions) not changed for a while."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False) and _stale(entry, None):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


def _stale(entry: os.DirEntry[str], pid: int | None) -> bool:
    try:
        age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    if pid is None:
        return False
    if pid == os.getpid():  # our own leftovers: a killed run before us had our process id
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def _by_folder(targets: Iterable[Path]) -> dict[Path, set[str]]:
    folders: dict[Path, set[str]] = {}
    for target in targets:
        folders.setdefault(target.parent, set()).add(target.name)
    return folders


def _keep(target: Path) -> str | None:
    """A copy of the file about to be replaced (a hard link, else a real copy), to put it back if a
    later rename fails; None when there is no such file."""
    if not (target.is_file() or target.is_symlink()):
        return None
    backup = str(target.with_name(f".{target.name}.tmdiag-{os.getpid()}.bak"))
    try:
        Path(backup).unlink(missing_ok=True)
        os.link(target, backup, follow_symlinks=False)  # a link planted as the target is kept as a link
    except OSError:  # no hard links on this file system
        try:
            shutil.copy2(target, backup, follow_symlinks=False)
        except OSError:
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
    temp = str(target.with_name(f".{target.name}.tmdiag-{os.getpid()}-{secrets.token_hex(4)}.tmp"))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
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
    """Keep an existing file's mode; new files (and a link planted as the target: never the mode of
    what it points at) get the usual 0666 less the umask."""
    with contextlib.suppress(OSError):
        status = target.lstat()
        if not stat.S_ISLNK(status.st_mode):
            return status.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
