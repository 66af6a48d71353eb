"""Reading an input file: regular files only, never more than a limit.

Every file tmdiag reads on a user's behalf (models and their imports, `fmt`, configuration,
report templates) goes through `read_bytes`: a named pipe or a device is refused before anything
is read (`mkfifo p.tm` would block forever, `/dev/zero` would fill memory), and a file is read
up to its limit and no further.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tmdiag.limits import MIB


class InputError(OSError):
    """A file that is not read: not a regular file, or larger than its limit. `str()` says why."""

    def __init__(self, path: str | Path, reason: str, code: int = errno.EINVAL):
        super().__init__(code, reason, str(path))
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))  # fmt: skip


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def size_text(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB and limit % MIB == 0 else f"{limit:,} bytes"


def read_prefix(path: str | Path, limit: int) -> bytes:
    """At most the first `limit` bytes of a regular file (a pipe or a device is refused before
    anything is read: InputError)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)  # O_NONBLOCK: opening a pipe with no writer must not wait for one
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(path, f"{kind_of(mode)}, not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size < limit:
            chunk = os.read(fd, min(limit - size, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Raises OSError (InputError for a file
    that is not regular or is too large; its `strerror` says why in words)."""
    data = read_prefix(path, limit + 1)
    if len(data) > limit:
        raise InputError(path, f"larger than {size_text(limit)}", errno.EFBIG)
    return data


def read_stream(stream: object, limit: int, name: str = "<stdin>") -> bytes:
    """At most `limit` bytes from a binary stream (stdin); InputError when it holds more."""
    data = stream.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise InputError(name, f"larger than {size_text(limit)}", errno.EFBIG)
    return bytes(data)
