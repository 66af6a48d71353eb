"""`--template DIR` cannot read outside DIR, run code, or exhaust memory (issue 17, item 1).

The sandbox attacks (`__globals__`, `__mro__`, …) are in tests/report/test_templates.py; here: the
file system (symbolic links, pipes, huge files, `..`) and resource use.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report.conftest import EXAMPLE, report
from tmdiag import limits

SECRET = "tmdiag-template-secret-93be"


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TMDIAG_TEMPLATE_SECRET", SECRET)
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def run(templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    code = report(EXAMPLE, out, "--template", str(templates), "--no-diagram")
    return code, capsys.readouterr().err, out


def assert_refused(code: int, err: str, out: Path) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("tmdiag: error: "), err  # one line
    assert SECRET not in err and "root:" not in err
    assert not out.exists()


ESCAPES = {
    "link to the process environment": ("env.txt", "/proc/self/environ", "{% include 'env.txt' %}"),
    "link to /etc/passwd": ("passwd.j2", "/etc/passwd", "{% include 'passwd.j2' %}"),
    "folder link to /": ("root", "/", "{% include 'root/etc/passwd' %}"),
    "folder link to /proc": ("proc", "/proc", "{% include 'proc/self/environ' %}"),
    "extends a link": ("base.j2", "/etc/passwd", "{% extends 'base.j2' %}"),
    "import a link": ("macros.j2", "/proc/self/environ", "{% import 'macros.j2' as m %}"),
    "link to a link outside": ("hop.j2", "{tmp}/outside/inner.j2", "{% include 'hop.j2' %}"),
    "the template itself is a link": ("report.html.j2", "{tmp}/outside/inner.j2", None),
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_link_out_of_the_template_folder_is_refused(
    name: str, templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link, target, source = ESCAPES[name]
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "inner.j2").write_text(f"{{{{ '{SECRET}' }}}}")
    (templates / link).symlink_to(target.format(tmp=tmp_path))
    if source is not None:
        (templates / "report.html.j2").write_text(source)
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)
    assert "outside the template folder" in err


def test_a_link_inside_the_template_folder_works(
    templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (templates / "parts").mkdir()
    (templates / "parts" / "title.j2").write_text("<h1>{{ report.title }}</h1>")
    (templates / "title.j2").symlink_to(templates / "parts" / "title.j2")
    (templates / "report.html.j2").write_text("{% include 'title.j2' %}")
    code, _, out = run(templates, tmp_path, capsys)
    assert code == 0
    assert (out / "report.html").read_text() == "<h1>Checkout</h1>"


def test_the_template_folder_may_itself_be_a_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "report.md.j2").write_text("# {{ report.title }}\n")
    (tmp_path / "link").symlink_to(real)
    code, _, out = run(tmp_path / "link", tmp_path, capsys)
    assert code == 0
    assert (out / "report.md").read_text() == "# Checkout\n"


def test_dotdot_and_absolute_names_stay_inside(
    templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for source in ("{% include '../outside.j2' %}", "{% include '/etc/passwd' %}", "{% include 'a/../../x' %}"):
        (tmp_path / "outside.j2").write_text(SECRET)
        (templates / "report.html.j2").write_text(source)
        code, err, out = run(templates, tmp_path, capsys)
        assert code == 2 and SECRET not in err and not out.exists()


def test_a_named_pipe_as_a_template_is_refused_without_waiting(
    templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(templates / "report.html.j2")
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)
    assert "named pipe" in err


def test_a_link_to_a_device_is_refused(templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (templates / "zero.j2").symlink_to("/dev/zero")
    (templates / "report.html.j2").write_text("{% include 'zero.j2' %}")
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)


def test_a_huge_template_is_refused(templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (templates / "report.html.j2").open("wb") as handle:
        handle.truncate(limits.MAX_TEMPLATE_BYTES + 1)
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)
    assert "larger than 4 MiB" in err


@pytest.mark.parametrize(
    "source",
    [
        '{{ "x" * 10**10 }}',
        "{{ [1] * 100000000 }}",
        "{{ (((9**99)**99)**99)**99 }}",
        "{{ 10 ** 1000 }}",
        "{{ range(10**9)|list }}",
        "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
        # widths and counts (new-user trial: `center(10**9)` took 97 s and 4.9 GB, then wrote 1 GB)
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(width=1000000000, first=True) }}",
        "{{ 'x'.ljust(10**9) }}",
        "{{ 'x'.zfill(10**9) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '{:>{w}}'.format(1, w=10**9) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '%.999999999f'|format(1) }}",
    ],
)
def test_templates_cannot_build_huge_values(
    source: str, templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (templates / "report.html.j2").write_text(source)
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)
    assert "template SecurityError" in err and "internal error" not in err


def test_ordinary_widths_still_work(templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (templates / "report.html.j2").write_text("[{{ 'ok'|center(6) }}|{{ '%3d' % 7 }}|{{ '{:>3}'.format(1) }}]")
    code, err, out = run(templates, tmp_path, capsys)
    assert code == 0, err
    assert "[  ok  |  7|  1]" in (out / "report.html").read_text()


def test_a_template_that_writes_without_end_stops_at_the_output_limit(
    templates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tmdiag.report import render

    monkeypatch.setattr(render, "MAX_OUTPUT_BYTES", 1_000_000)
    (templates / "report.html.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ 'x' * 100 }}{% endfor %}{% endfor %}"
    )
    code, err, out = run(templates, tmp_path, capsys)
    assert_refused(code, err, out)
    assert "grew larger than" in err
