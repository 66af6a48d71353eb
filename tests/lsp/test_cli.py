from __future__ import annotations

import subprocess
import sys


def test_help_names_the_docs():
    command = [sys.executable, "-m", "tmdiag", "lsp", "--help"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "docs/lsp.md" in result.stdout and "--no-threats" in result.stdout


def test_exits_cleanly_when_the_editor_closes_the_pipe():
    command = [sys.executable, "-m", "tmdiag", "lsp"]
    result = subprocess.run(command, input=b"", capture_output=True, timeout=60)
    assert result.returncode == 0
    assert b"Traceback" not in result.stderr


def test_a_log_file_that_cannot_be_written_is_a_usage_error(tmp_path):
    command = [sys.executable, "-m", "tmdiag", "lsp", "--log", str(tmp_path / "missing" / "lsp.log")]
    result = subprocess.run(command, input=b"", capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and b"cannot write the log" in result.stderr
