"""Formatting off the request loop: `tmdiag fmt`'s layout, computed in a worker process.

Formatting a 10,000-line model takes seconds of CPU. In a thread it would hold the interpreter lock
in slices, and a hover sent meanwhile would wait for them; in its own process the request loop
stays free. The process starts at the first format request and is kept for the next ones.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


class NotFormatted(Exception):
    """The text was left as it is: `syntax` (it has syntax errors) or `unsafe` (the check failed)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


def _format(text: str) -> tuple[str, str]:
    """Runs in the worker: ("ok", formatted) or (reason, detail); exceptions stay on this side."""
    from tmdiag.fmt import SyntaxProblems, format_text

    try:
        return "ok", format_text(text)
    except SyntaxProblems:
        return "syntax", ""
    except Exception as error:  # UnsafeFormat, or a bug: reported, the text left alone
        return "unsafe", str(error) or type(error).__name__


class Formatter:
    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def format(self, text: str) -> str:
        """The formatted text; raises NotFormatted."""
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            try:
                outcome, result = await loop.run_in_executor(self._pool, _format, text)
                break
            except BrokenProcessPool:  # the worker died (killed, out of memory): start another once
                self._pool = None
                if attempt:
                    raise NotFormatted("unsafe", "the formatter process stopped") from None
        if outcome != "ok":
            raise NotFormatted(outcome, result)
        return result

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
