"""The Sphinx extension in a real `sphinx-build` of a small site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docsites.conftest import copy_site, sphinx_build

PAGE = "_build/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("sphinx")) / "sphinx"
    result = sphinx_build(site, "-W")
    assert result.returncode == 0, result.output
    return site


def test_directives_become_inline_svg(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    assert html.count('<figure class="tmdiag"') == 4
    assert ">Web shop<" in html and ">API<" in html
    assert "data:image/png;base64," in html  # :style: cloud draws provider icons, inlined
    assert 'xlink:href="report/report.html#el-web"' in html
    figures = html[html.index('<figure class="tmdiag"') : html.rindex("</figure>")]
    ids = re.findall(r'\sid="([^"]+)"', figures)
    assert len(ids) == len(set(ids))
    assert not re.search(r'(?:src|href)="(?:https?:|file:|/)', figures)


def test_view_draws_one_boundary(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    second = html.split('<figure class="tmdiag"')[2]
    assert "tmdiag-2-dfd-tb-prod" in second and "tmdiag-2-dfd-el-customer" in second  # what crosses into it


def test_a_declared_view_is_drawn_by_id(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    third = html.split('<figure class="tmdiag"')[3]
    assert ">Order path<" in third and "tmdiag-3-dfd-el-web" in third and "tmdiag-3-dfd-el-customer" not in third


def test_errors_are_warnings_with_the_line_and_fail_under_w(tmp_path: Path) -> None:
    site = copy_site(tmp_path) / "sphinx"
    (site / "index.rst").write_text(
        'T\n=\n\n.. tmdiag:: ../models/nope.tm\n\n.. tmdiag::\n\n   process a "A"\n   a -> b "x"\n\n'
        ".. tmdiag:: ../models/shop.tm\n   :view: nope\n",
        encoding="utf-8",
    )
    relaxed = sphinx_build(site)
    assert relaxed.returncode == 0, relaxed.output
    assert "nope.tm: tmdiag: no such model file" in relaxed.output
    assert re.search(r"index\.rst:9:\d+: error\[E101\]: element `b` is not declared", relaxed.output), relaxed.output
    assert "no view or boundary `nope`" in relaxed.output
    assert "Traceback" not in relaxed.output
    assert sphinx_build(site, "-W").returncode != 0


def test_a_changed_model_rebuilds_the_page(tmp_path: Path) -> None:
    root = copy_site(tmp_path)
    site, model = root / "sphinx", root / "models/shop.tm"
    assert sphinx_build(site).returncode == 0
    model.write_text(model.read_text(encoding="utf-8").replace('"Web shop"', '"Renamed shop"'), encoding="utf-8")
    assert sphinx_build(site).returncode == 0  # incremental: only the dependency changed
    assert ">Renamed shop<" in (site / PAGE).read_text(encoding="utf-8")


def test_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = copy_site(tmp_path) / "sphinx"
    assert sphinx_build(again).returncode == 0
    assert (again / PAGE).read_text(encoding="utf-8") == (built / PAGE).read_text(encoding="utf-8")
