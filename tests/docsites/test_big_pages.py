"""A big model (overview + per-boundary views) in real MkDocs and Sphinx pages, opened in Chromium:
a box opens its view, views link back, diagrams open at full size, no links without a target."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import launch
from tests.docsites.conftest import copy_site, mkdocs_build, sphinx_build

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import realistic


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = copy_site(tmp_path_factory.mktemp("big"))
    (root / "models/big.tm").write_text(realistic.realistic(100), encoding="utf-8")
    mk = root / "mkdocs"
    config = "site_name: big\nuse_directory_urls: false\nplugins:\n  - tmdiag\n"
    (mk / "mkdocs.yml").write_text(config, encoding="utf-8")
    page = "# Big\n\n![The platform](../../models/big.tm)\n\nAfter.\n"
    (mk / "docs/index.md").write_text(page, encoding="utf-8")
    built = mkdocs_build(mk, "--strict")
    assert built.returncode == 0, built.output
    sph = root / "sphinx"
    (sph / "conf.py").write_text('project = "big"\nextensions = ["tmdiag.docsites.sphinx"]\n', encoding="utf-8")
    page = "Big\n===\n\n.. tmdiag:: ../models/big.tm\n   :alt: The platform\n"
    (sph / "index.rst").write_text(page, encoding="utf-8")
    built = sphinx_build(sph, "-W")
    assert built.returncode == 0, built.output
    return {"mkdocs": mk / "site/index.html", "sphinx": sph / "_build/index.html"}


@pytest.mark.parametrize("kind", ["mkdocs", "sphinx"])
def test_the_page_structure(sites: dict[str, Path], kind: str) -> None:
    html = sites[kind].read_text(encoding="utf-8")
    figure = html[html.index('<figure class="tmdiag"') : html.index("</figure>")]
    assert re.search(r'<script[^>]+src="[^"]*tmdiag\.js[?"]', html) and re.search(r'href="[^"]*tmdiag\.css[?"]', html)
    assert "<script" not in figure and " on" not in re.sub(r'"[^"]*"', "", figure)  # no inline script or handler
    ids = re.findall(r'\sid="([^"]+)"', figure)
    assert len(ids) == len(set(ids))
    assert not re.search(r"<a\b(?![^>]*href=)[^>]*>", figure)  # no link without a target (no link prefix set)
    assert figure.count("<title>") > 100  # the tooltips stay
    assert 'aria-label="The platform"' in figure and "<figcaption>The platform</figcaption>" in figure
    views = figure.count('<details class="tmdiag-view">')
    assert views >= 5 and figure.count('class="tmdiag-back"><a href="#tmdiag-1-diagram"') == views


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["mkdocs", "sphinx"])
def test_a_box_opens_its_view_and_full_size_shows_the_picture_larger(sites: dict[str, Path], kind: str,
                                                                     browser: Any) -> None:  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.route("http*://**", lambda route: (requests.append(route.request.url), route.abort()))
    page.goto(sites[kind].resolve().as_uri())
    box = page.locator("figure.tmdiag .tmdiag-picture svg g.node a").first
    target = str(box.get_attribute("xlink:href") or box.get_attribute("href"))
    assert target.startswith("#tmdiag-1-view-")
    section = page.locator("details.tmdiag-view", has=page.locator(target))
    assert section.evaluate("d => d.open") is False
    box.click()
    page.wait_for_function("s => document.querySelector(s).closest('details').open", arg=target)
    back = section.locator(".tmdiag-back a")
    back.click()
    page.wait_for_url("**#tmdiag-1-diagram")
    overview = page.locator("figure.tmdiag > .tmdiag-picture svg")
    fitted = overview.bounding_box()["width"]
    page.locator("figure.tmdiag > button.tmdiag-size").click()
    assert overview.bounding_box()["width"] > fitted * 1.2  # its own size, scrolling in the column
    underline = page.locator("figure.tmdiag svg text").first.evaluate(
        "t => getComputedStyle(t).textDecorationLine + getComputedStyle(t.parentElement).textDecorationLine"
    )
    assert "underline" not in underline
    assert not [r for r in requests if "tmdiag" in r]
    page.close()
