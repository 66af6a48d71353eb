"""Open threats per element for hovers, computed by pytm in a separate process.

pytm is slow (seconds to minutes on big models) and keeps global state, so it never runs on a
keystroke: the server asks for an analysis when a document is opened or saved, or after it has been
idle for a while. One analysis runs at a time per document, in its own process (the server's event
loop and the GIL stay free), at a lower CPU priority (`nice` 10) so that typing stays fast while it
runs; a newer request waits for it and then runs once with the latest text.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from tmdiag.lsp.hover import TargetThreats, ThreatCounts


def open_threats(text: str, path: str, root: str) -> tuple[str, dict[str, TargetThreats], str]:
    """(state, open threats per target, note) for a model's text; runs in the worker process."""
    from tmdiag import pipeline

    loaded = pipeline.load_text(text, path, root)
    if loaded.errors:
        return "unavailable", {}, "fix the errors first"
    analysis = pipeline.analyze(loaded, lint=False)
    lines: dict[str, list[str]] = {}
    levels: dict[str, dict[str, int]] = {}
    for finding in analysis.findings:  # ranked: highest risk first
        if not finding.is_open:
            continue
        lines.setdefault(finding.target_id, []).append(f"{finding.threat_id} {finding.title} ({finding.risk})")
        by_level = levels.setdefault(finding.target_id, {})
        by_level[str(finding.risk)] = by_level.get(str(finding.risk), 0) + 1
    found = {
        target: TargetThreats(len(listed), tuple(listed), tuple(levels[target].items()))
        for target, listed in lines.items()
    }
    return "done", found, ""


def _worker(connection: Connection, text: str, path: str, root: str) -> None:
    if hasattr(os, "nice"):  # pytm yields the CPU to the server, which answers every keystroke
        with contextlib.suppress(OSError):
            os.nice(10)
    try:
        connection.send(open_threats(text, path, root))
    except Exception as error:  # reported to the editor as a note, never a crash of the server
        connection.send(("unavailable", {}, f"analysis failed: {type(error).__name__}: {error}"))
    finally:
        connection.close()


class ThreatRunner:
    """Runs `open_threats` in a child process; calls `done(counts)` on the caller's thread via `post`."""

    def __init__(self, post: Callable[[Callable[[], None]], None]):
        self.post = post  # schedules a callback on the server's event loop
        self.counts = ThreatCounts({}, "running")  # created when an analysis is asked for: hovers say "analysing…"
        self._process: BaseProcess | None = None
        self._queued: tuple[str, str, str] | None = None
        self._lock = threading.Lock()
        self.on_done: Callable[[], None] = lambda: None

    def request(self, text: str, path: str, root: Path) -> None:
        with self._lock:
            if self._process is not None:
                self._queued = (text, path, str(root))
                return
            self._start(text, path, str(root))

    def _start(self, text: str, path: str, root: str) -> None:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(sender, text, path, root), daemon=True)
        process.start()
        sender.close()
        self._process = process
        self.counts = ThreatCounts(self.counts.by_target, "running", self.counts.note)
        threading.Thread(target=self._wait, args=(receiver, process), daemon=True).start()

    def _wait(self, receiver: Connection, process: BaseProcess) -> None:
        try:
            state, counts, note = receiver.recv()
        except (EOFError, OSError):
            state, counts, note = "unavailable", {}, "analysis stopped"
        process.join(timeout=5)
        self.post(lambda: self._finish(ThreatCounts(counts, state, note)))

    def _finish(self, counts: ThreatCounts) -> None:
        with self._lock:
            self._process = None
            self.counts = counts
            queued, self._queued = self._queued, None
            if queued is not None:
                self._start(*queued)
        self.on_done()

    def skip(self, note: str) -> None:
        """The analysis asked for will not run (the file has syntax errors): say why instead of "analysing…"."""
        with self._lock:
            if self._process is None and self.counts.state == "running":
                state = "done" if self.counts.by_target else "unavailable"
                self.counts = ThreatCounts(self.counts.by_target, state, note)

    def stop(self) -> None:
        with self._lock:
            process, self._process, self._queued = self._process, None, None
        if process is not None and process.is_alive():
            process.terminate()
            process.join(timeout=5)
