"""`report --watch` and `diagram --watch` with real file changes: a change of the model or of an
imported file rebuilds; a model with errors prints them, keeps the last good output and keeps
watching; Ctrl-C (SIGINT) exits 0. Each wait polls with a deadline instead of sleeping."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0  # seconds for one rebuild on a loaded machine; a passing run takes well under one


class Watcher:
    def __init__(self, *args: str, cwd: Path):
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "tmdiag", *args], cwd=cwd, env=env, text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(
            f"timed out waiting for {what} (exit {self.process.poll()}); stderr:\n" + "\n".join(self.lines)
        )

    def watching(self, count: int) -> None:
        self.wait_for(lambda: sum("watching" in line for line in self.lines) >= count, f"watch #{count}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=DEADLINE)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "tmdiag.toml", "")
    write(tmp_path / "shared.tm", 'data d "First data"\n')
    write(tmp_path / "model.tm", 'import "shared.tm"\nprocess a "A"\nprocess b "B"\na -> b "Call" { data: [d] }\n')
    return tmp_path


def test_report_watch_rebuilds_keeps_the_last_good_output_and_stops_on_ctrl_c(project: Path) -> None:
    report = project / "out" / "report.md"
    watcher = Watcher("report", "model.tm", "-o", "out", "--no-diagram", "--watch", cwd=project)
    try:
        watcher.wait_for(lambda: report.exists() and "First data" in report.read_text(encoding="utf-8"), "report")
        watcher.watching(1)
        write(project / "shared.tm", 'data d "Second data"\n')  # an imported file
        watcher.wait_for(lambda: "Second data" in report.read_text(encoding="utf-8"), "rebuild after the import")
        good = report.read_text(encoding="utf-8")
        write(project / "model.tm", 'import "shared.tm"\nproces a "A"\n')  # an error
        watcher.wait_for(lambda: any("error[E001]" in line for line in watcher.lines), "the error")
        watcher.wait_for(lambda: any("the last report stays" in line for line in watcher.lines), "the refusal")
        assert report.read_text(encoding="utf-8") == good
        write(project / "model.tm", 'import "shared.tm"\nprocess a "Renamed A"\n')  # fixed: still watching
        watcher.wait_for(lambda: "Renamed A" in report.read_text(encoding="utf-8"), "rebuild after the fix")
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.lines)
    assert watcher.lines[-1] == "tmdiag: stopped"
    assert not any("Traceback" in line for line in watcher.lines)


def test_diagram_watch_follows_a_new_import(project: Path) -> None:
    dot = project / "dfd.dot"
    watcher = Watcher("diagram", "model.tm", "-o", "dfd.dot", "--watch", cwd=project)
    try:
        watcher.wait_for(lambda: dot.exists() and "Call" in dot.read_text(encoding="utf-8"), "the first drawing")
        watcher.watching(1)
        (project / "more").mkdir()
        write(project / "more" / "extra.tm", 'process c "Extra C"\n')
        write(project / "model.tm", 'import "shared.tm"\nimport "more/extra.tm"\nprocess a "A"\nprocess b "B"\n'
                                    'a -> b "Call" { data: [d] }\n')  # fmt: skip
        watcher.wait_for(lambda: "Extra C" in dot.read_text(encoding="utf-8"), "the new import drawn")
        watcher.watching(2)  # the new folder is watched too
        write(project / "more" / "extra.tm", 'process c "Changed C"\n')
        watcher.wait_for(lambda: "Changed C" in dot.read_text(encoding="utf-8"), "a change in the new import")
    finally:
        code = watcher.stop()
    assert code == 0, "\n".join(watcher.lines)


def test_diagram_watch_needs_an_output_file(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tmdiag", "diagram", "model.tm", "--watch"], cwd=project,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2 and "name it with -o" in done.stderr
