"""`tmdiag fmt` from the command line: in place, --check, --diff, stdin, refusals."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tmdiag.fmt as fmt
from tmdiag.cli import main

MESSY = 'data card "Card"{classification:secret}   # card\ndata  order "Order"\n'
TIDY = 'data card  "Card"  { classification: secret }  # card\ndata order "Order"\n'
BROKEN = 'data card "Card" { classification: secret\nprocess web "Web"\n'


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"messy": tmp_path / "messy.tm", "tidy": tmp_path / "tidy.tm", "broken": tmp_path / "broken.tm"}
    paths["messy"].write_text(MESSY)
    paths["tidy"].write_text(TIDY)
    paths["broken"].write_text(BROKEN)
    return paths


def test_formats_in_place(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(files["messy"]), str(files["tidy"])]) == 0
    assert files["messy"].read_text() == TIDY
    assert files["tidy"].read_text() == TIDY
    out, err = capsys.readouterr()
    assert f"reformatted {files['messy']}" in out and str(files["tidy"]) not in out
    assert "1 file reformatted, 1 file left unchanged." in err
    assert main(["fmt", "--check", str(files["messy"])]) == 0  # idempotent


def test_check_lists_files_that_would_change(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    before = files["messy"].stat().st_mtime_ns
    assert main(["fmt", "--check", str(files["messy"]), str(files["tidy"])]) == 1
    assert files["messy"].read_text() == MESSY and files["messy"].stat().st_mtime_ns == before
    out, err = capsys.readouterr()
    assert out == f"would reformat {files['messy']}\n"
    assert "1 file would be reformatted, 1 file already formatted." in err


def test_quiet_check_prints_only_paths(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", "-q", str(files["messy"].parent)]) == 1
    out, err = capsys.readouterr()
    assert str(files["messy"]) in out.splitlines()
    assert str(files["tidy"]) not in out
    assert "cannot format" in err  # the broken file is still reported


def test_diff_writes_nothing(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--diff", str(files["messy"])]) == 0
    assert files["messy"].read_text() == MESSY
    out = capsys.readouterr().out
    assert f"--- {files['messy']} (original)" in out
    assert '+data card  "Card"  { classification: secret }  # card' in out
    assert main(["fmt", "--diff", "--check", str(files["messy"])]) == 1


def test_syntax_errors_leave_the_file_untouched(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(files["broken"]), str(files["messy"])]) == 1
    assert files["broken"].read_text() == BROKEN
    assert files["messy"].read_text() == TIDY  # other files are still formatted
    err = capsys.readouterr().err
    assert "error[E0" in err and f"cannot format {files['broken']}" in err


def test_internal_error_leaves_the_file_untouched(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = fmt.layout
    monkeypatch.setattr(fmt, "layout", lambda result: real(result).replace("secret", "public"))
    assert main(["fmt", str(files["messy"])]) == 2
    assert files["messy"].read_text() == MESSY
    assert "internal error: the formatted text means something else" in capsys.readouterr().err


def stdin(raw: bytes | str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(raw.encode() if isinstance(raw, str) else raw), encoding="utf-8")


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", stdin(MESSY))
    assert main(["fmt", "-"]) == 0
    out, err = capsys.readouterr()
    assert out == TIDY and err == ""
    monkeypatch.setattr(sys, "stdin", stdin(MESSY))
    assert main(["fmt", "--check", "-"]) == 1
    monkeypatch.setattr(sys, "stdin", stdin(BROKEN))
    assert main(["fmt", "-"]) == 1
    out, err = capsys.readouterr()
    assert "would reformat <stdin>" in out and "<stdin>:1:" in err


def test_stdin_is_decoded_like_a_file(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", stdin(b'data a "caf\xe9"\n'))
    assert main(["fmt", "-"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "error[E004]: not UTF-8 text: byte 0xe9" in err
    monkeypatch.setattr(sys, "stdin", stdin(TIDY.replace("\n", "\r\n")))  # as a file: CRLF is a change
    assert main(["fmt", "--check", "-"]) == 1


def test_json_report(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", "--format", "json", str(files["messy"].parent)]) == 1
    report = {Path(f["path"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert report["messy.tm"]["status"] == "would-reformat"
    assert report["tidy.tm"]["status"] == "unchanged"
    assert report["broken.tm"]["status"] == "syntax-error" and report["broken.tm"]["diagnostics"]


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "missing.tm")]) == 2
    assert main(["fmt", str(tmp_path)]) == 2  # no .tm files
    assert main(["fmt", "-", str(tmp_path)]) == 2
    (tmp_path / "latin1.tm").write_bytes(b'data a "caf\xe9"\n')
    assert main(["fmt", str(tmp_path / "latin1.tm")]) == 1
    assert "E004" in capsys.readouterr().err


def test_installed_command(files: dict[str, Path]) -> None:
    """The console script, as pre-commit would run it."""
    tmdiag = Path(sys.executable).parent / "tmdiag"
    result = subprocess.run(
        [str(tmdiag), "fmt", "--check", "-q", str(files["messy"]), str(files["tidy"])],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == f"{files['messy']}\n"


def test_diff_colour_only_when_asked(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--diff", "--color", "always", str(files["messy"])]) == 0
    assert "\x1b[32m+data card" in capsys.readouterr().out
    assert main(["fmt", "--diff", str(files["messy"])]) == 0  # captured output is not a terminal
    assert "\x1b[" not in capsys.readouterr().out


def test_keeps_permissions_and_symlinks(files: dict[str, Path]) -> None:
    files["messy"].chmod(0o644)
    link = files["messy"].parent / "link.tm"
    link.symlink_to(files["messy"].name)
    assert main(["fmt", "-q", str(link)]) == 0
    assert link.is_symlink() and files["messy"].read_text() == TIDY
    assert files["messy"].stat().st_mode & 0o777 == 0o644


def test_a_byte_order_mark_is_a_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.tm"
    path.write_bytes(b"\xef\xbb\xbf" + TIDY.encode())
    assert main(["fmt", "--check", str(path)]) == 1
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == TIDY.encode()
    assert main(["fmt", "--check", str(path)]) == 0


def test_a_hard_linked_file_is_rewritten_in_place_and_keeps_its_links(files: dict[str, Path]) -> None:
    other = files["messy"].with_name("other-name.tm")
    os.link(files["messy"], other)
    inode = files["messy"].stat().st_ino
    assert main(["fmt", "-q", str(files["messy"])]) == 0
    assert files["messy"].read_text() == TIDY and other.read_text() == TIDY  # both names see the new text
    assert files["messy"].stat().st_ino == inode and files["messy"].stat().st_nlink == 2


def test_a_file_without_other_links_is_replaced_and_keeps_its_permissions(files: dict[str, Path]) -> None:
    files["messy"].chmod(0o640)
    assert main(["fmt", "-q", str(files["messy"])]) == 0
    assert files["messy"].read_text() == TIDY and (files["messy"].stat().st_mode & 0o777) == 0o640
