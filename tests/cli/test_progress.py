"""Long commands show a status line on a terminal, and nothing in CI or when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

EXAMPLE = "examples/checkout.tm"


def run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout and stderr on a real pseudo-terminal; return what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["TERM"] = "xterm"
    return env


def test_report_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    shown = run_in_terminal([sys.executable, "-m", "tmdiag", "report", EXAMPLE, "-o", str(tmp_path)], clean_env())
    assert "Enumerating threats with pytm" in shown
    assert "Report:" in shown


def test_no_progress_in_ci_or_when_piped(tmp_path: Path) -> None:
    env = clean_env() | {"CI": "true"}
    shown = run_in_terminal([sys.executable, "-m", "tmdiag", "report", EXAMPLE, "-o", str(tmp_path)], env)
    assert "Enumerating" not in shown and "Report:" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "tmdiag", "threats", EXAMPLE], capture_output=True, text=True, env=clean_env()
    )
    assert piped.returncode == 0 and "Enumerating" not in piped.stderr + piped.stdout
