"""User templates (`--template DIR`) run sandboxed and autoescaped; a broken one writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.conftest import EXAMPLE, report

SECRET = "tmdiag-test-secret-5f1c"

ATTACKS = {
    "globals": "{{ cycler.__init__.__globals__.os.environ }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "lipsum": "{{ lipsum.__globals__['os'].environ['TMDIAG_TEST_SECRET'] }}",
    "attr_filter": "{{ ''|attr('__class__')|attr('__mro__') }}",
    "format": "{{ '{0.__class__.__mro__}'.format('') }}",
    "self": "{{ self._TemplateReference__context }}",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_malicious_template_cannot_escape_the_sandbox(
    attack: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TMDIAG_TEST_SECRET", SECRET)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text(ATTACKS[attack] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert report(EXAMPLE, out, "--template", str(templates)) == 2
    err = capsys.readouterr().err
    assert "SecurityError" in err or "UndefinedError" in err
    assert SECRET not in err
    assert not out.exists()  # nothing written, not even the folder


def test_user_template_overrides_one_file_and_extends_the_default(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text(
        "# {{ report.title }}\n{% for t in threats[:3] %}- {{ t.title }} on {{ t.target.name }}\n{% endfor %}",
        encoding="utf-8",
    )
    extended = '{% extends "default/report.html.j2" %}{% block extra_css %}h1 { color: rebeccapurple; }{% endblock %}'
    (templates / "report.html.j2").write_text(extended, encoding="utf-8")
    out = tmp_path / "out"
    assert report(EXAMPLE, out, "--template", str(templates)) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Checkout\n- ")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<h1>Checkout</h1>" in html and "h1 { color: rebeccapurple; }" in html


def test_user_templates_are_autoescaped(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("<p>{{ '<b>x</b>' }}</p>", encoding="utf-8")
    out = tmp_path / "out"
    assert report(EXAMPLE, out, "--template", str(templates)) == 0
    assert (out / "report.html").read_text(encoding="utf-8") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"


BROKEN = (
    "{% for %}",
    "{{ no_such_variable }}",
    "{{ report.no_such_key }}",
    "{{ 1 / 0 }}",
    '{% include "../../../../../../etc/passwd" %}',  # loaders stay inside the template folders
    '{% include "/etc/passwd" %}',
)


@pytest.mark.parametrize("source", BROKEN)
def test_broken_template_fails_with_exit_2_and_keeps_the_earlier_report(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert report(EXAMPLE, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(source, encoding="utf-8")
    assert report(EXAMPLE, out, "--template", str(templates)) == 2
    assert "nothing written" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_template_folder_is_a_usage_error(tmp_path: Path) -> None:
    assert report(EXAMPLE, tmp_path / "out", "--template", str(tmp_path / "nope")) == 2
    assert not (tmp_path / "out").exists()
