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


def test_run_in_a_terminal_it_says_what_it_is_and_ctrl_d_quits():
    """Typed by hand (stdin a TTY), one line on stderr instead of silence; Ctrl-D ends it (exit 0)."""
    import os
    import pty
    import select

    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "tmdiag", "lsp"]
    process = subprocess.Popen(command, stdin=terminal, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    said = b""
    while b"Ctrl-D quits." not in said and select.select([controller], [], [], 30)[0]:
        said += os.read(controller, 1024)
    os.write(controller, b"\x04")  # Ctrl-D at the start of a line: end of input
    assert process.wait(timeout=30) == 0
    os.close(controller)
    assert process.stdout is not None and process.stdout.read() == b""  # stdout stays the protocol's
    assert said.decode().strip() == (
        "tmdiag lsp: this is the language server; it speaks LSP on stdin/stdout and editors start it "
        "(docs/lsp.md). Ctrl-C or Ctrl-D quits."
    )


def test_an_editor_pipe_gets_no_note():
    result = subprocess.run([sys.executable, "-m", "tmdiag", "lsp"], input=b"", capture_output=True, timeout=60)
    assert result.stderr == b""


def test_an_unknown_option_shows_the_lsp_usage():
    command = [sys.executable, "-m", "tmdiag", "lsp", "--foo"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: tmdiag lsp ")
    assert "tmdiag lsp: error: unrecognized arguments: --foo" in result.stderr
