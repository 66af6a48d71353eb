"""Whatever the input, the front end answers with a model or positioned diagnostics, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tmdiag.api import check_file, check_text
from tmdiag.diagnostics import Diagnostic
from tmdiag.output.diagnostics import render_text


def assert_inside(text: str, diagnostics: list[Diagnostic], path: str) -> None:
    lines = text.split("\n")
    for d in diagnostics:
        if d.span.path != path:
            continue
        assert 1 <= d.span.line <= len(lines), d
        assert 1 <= d.span.column <= len(lines[d.span.line - 1].removesuffix("\r")) + 1, d
        assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column), d


def test_ten_thousand_nested_braces() -> None:
    text = "boundary b " + "{" * 10_000 + "}" * 10_000
    _, diagnostics = check_text(text, "deep.tm", lint=False)
    assert [d.code for d in diagnostics] == ["E005"]
    assert diagnostics[0].span.column == 12 + 64  # the 65th `{`


@pytest.mark.parametrize("opener", ["[", "("])
def test_deep_lists_and_parentheses(opener: str) -> None:
    closer = {"[": "]", "(": ")"}[opener]
    text = "rule R1 { severity: high, targets: [flow], when: " + opener * 5000 + "x" + closer * 5000 + " }"
    _, diagnostics = check_text(text, "deep.tm", lint=False)
    assert [d.code for d in diagnostics] == ["E005"]


def test_long_not_chain_is_refused_not_recursed() -> None:
    text = "rule R1 { severity: high, targets: [flow], when: " + "not " * 5000 + "encrypted }"
    _, diagnostics = check_text(text, "deep.tm", lint=False)
    assert [d.code for d in diagnostics] == ["E005"]


def test_ten_megabyte_file(tmp_path: Path) -> None:
    description = "x" * 1000
    lines = [f'process p{i} "Process {i}" {{ description: "{description}" }}' for i in range(10_000)]
    lines.insert(5000, "proces broken")  # one error in the middle
    path = tmp_path / "big.tm"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    model, diagnostics = check_file(path, lint=False)
    assert model is not None
    assert [(d.code, d.span.line) for d in diagnostics] == [("E001", 5001)]
    assert len(model.elements) == 10_000


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xef\xbb\xbf",
        b"\x00" * 100,
        bytes(range(256)),
        b"\xff\xfe\x00a\x00c\x00t\x00o\x00r",  # UTF-16
        b"actor a\r\nactor b\r\na -> b\r\n",
        b"\tactor\ta\t{\tport:\t1\t}",
        b'actor a "' + b"\\" * 1001 + b'"',
        b"{" * 64 + b"}" * 64,
        b"}" * 1000,
        b"a ->" * 1000,
        b'"' * 999,
        b"# only a comment",
        b"risk on on on { }",
        "actor \u202e \u2028 \x0b \x1b[2J".encode(),
    ],
)
def test_hostile_bytes_never_raise(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "hostile.tm"
    path.write_bytes(raw)
    model, diagnostics = check_file(path, lint=False)
    for d in diagnostics:
        rendered = render_text(d, model.sources if model else {})
        assert "\x1b" not in rendered  # escape sequences from the file never reach the terminal
    if model is not None:
        display = model.path
        assert_inside(model.sources[display], diagnostics, display)


def test_unreadable_file_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.tm"
    path.write_text("actor a")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: refuse the read as the OS would
            real_open = os.open

            def refuse(name: object, *args: object, **kwargs: object) -> object:
                if Path(str(name)) == path:
                    raise PermissionError(13, "Permission denied", str(name))
                return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "open", refuse)
        model, diagnostics = check_file(path, lint=False)
        assert model is None
        assert [(d.code, d.message.endswith(": Permission denied")) for d in diagnostics] == [("E301", True)]
    finally:
        path.chmod(0o644)


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    model, diagnostics = check_file(tmp_path / "nope.tm", lint=False)
    assert model is None
    assert [d.code for d in diagnostics] == ["E301"]


def test_an_endless_device_is_read_up_to_the_limit_only() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    model, diagnostics = check_file("/dev/zero", lint=False)  # stat says 0 bytes; reading would never end
    assert model is None
    assert [d.code for d in diagnostics] == ["E301"]
    assert diagnostics[0].message.endswith("dev/zero`: a character device, not a regular file")


def test_a_loop_of_symbolic_links_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    (tmp_path / "a.tm").symlink_to(tmp_path / "b.tm")
    (tmp_path / "b.tm").symlink_to(tmp_path / "a.tm")
    (tmp_path / "m.tm").write_text('import "a.tm"\nactor x\n')
    model, diagnostics = check_file(tmp_path / "m.tm", lint=False)
    assert model is not None
    assert [(d.code, d.message, d.span.line) for d in diagnostics] == [
        ("E301", "cannot read import `a.tm`: a loop of symbolic links", 1)
    ]
    model, diagnostics = check_file(tmp_path / "a.tm", lint=False)  # named directly (the CLI says "no such file" first)
    assert model is None and [d.code for d in diagnostics] == ["E301"]
