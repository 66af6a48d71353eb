"""Standard output that tells a failed write apart from every other error.

`tmdiag check m.tm > /dev/full` or a closed stdout (`>&-`) must end with one line and exit 2, not a
traceback or exit 1 (which CI reads as "findings"). Commands write through `sys.stdout` as usual;
while they run it is a `Guarded` stream whose failed writes raise `StdoutFailed`. A reader that
went away (`| head`, BrokenPipeError) is not a failure: it passes through unchanged.
"""

from __future__ import annotations

import errno
from typing import Any

from tmdiag.diagnostics import TmdiagError


class StdoutFailed(TmdiagError):
    def __init__(self, cause: OSError):
        super().__init__(cause.strerror or str(cause))
        self.cause = cause


class _Closed:
    """What stands for stdout when the process started without one (file descriptor 1 closed)."""

    def write(self, _data: object) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self) -> _Closed:
        return self


class Guarded:
    """A text or binary stream whose write errors (but a broken pipe) become StdoutFailed."""

    def __init__(self, stream: Any):
        self._stream = stream if stream is not None else _Closed()

    def _call(self, name: str, *args: Any) -> Any:
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as problem:
            raise StdoutFailed(problem) from problem

    def write(self, data: Any) -> Any:
        return self._call("write", data)

    def writelines(self, lines: Any) -> Any:
        return self._call("writelines", lines)

    def flush(self) -> None:
        self._call("flush")

    @property
    def buffer(self) -> Guarded:
        return Guarded(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
