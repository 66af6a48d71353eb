"""The MkDocs plugin in a real `mkdocs build` (and `mkdocs serve`) of a small site."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import launch
from tests.docsites.conftest import copy_site, mkdocs_build

PAGE = "site/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("mkdocs")) / "mkdocs"
    report = [sys.executable, "-m", "tmdiag", "report", "../models/shop.tm", "-o", "docs/report", "-q", "--no-diagram"]
    subprocess.run([*report, "--today", "2026-11-01"], cwd=site, check=True, timeout=120)  # what elements link to
    (site / "docs/report/report.md").unlink()  # the HTML report is the link target; its Markdown is issue 17's
    result = mkdocs_build(site, "--strict")
    assert result.returncode == 0, result.output
    return site


def test_fences_images_and_calls_become_inline_svg(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    assert html.count('<figure class="tmdiag"') == 5  # two fences, two images (one a view), one call
    assert "TMDIAGPLACEHOLDER" not in html
    assert html.count("<svg") == 5
    assert ">Order path<" in html  # the declared view's title
    assert ">Orders DB<" in html and ">Web shop<" in html  # labels of the model file
    assert ">API<" in html and ">User<" in html  # labels of the fences
    assert "process untouched &quot;not drawn&quot;" in html  # a ```tm inside another fence stays text
    assert "![not drawn](x.tm)" in html  # inline code stays text


def test_both_shows_the_source_then_the_diagram(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    source = html.index("user -&gt; app")
    assert html.index("<svg", source) > source


def test_ids_are_unique_and_nothing_is_fetched(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    figures = html[html.index('<figure class="tmdiag"') : html.rindex("</figure>")]
    ids = re.findall(r'\sid="([^"]+)"', figures)
    assert len(ids) == len(set(ids))
    assert not re.search(r'(?:src|href)="(?:https?:|file:|/)', figures)  # inline icons only: data URIs
    assert "data:image/png;base64," in figures  # the cloud style's icons


def test_element_links_go_to_the_report_relative_to_the_page(built: Path) -> None:
    html = (built / PAGE).read_text(encoding="utf-8")
    assert 'xlink:href="report/report.html#el-web"' in html


def test_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = copy_site(tmp_path) / "mkdocs"
    assert mkdocs_build(again).returncode == 0

    def figures(root: Path) -> str:
        html = (root / PAGE).read_text(encoding="utf-8")
        return html[html.index('<figure class="tmdiag"') : html.rindex("</figure>")]

    assert figures(again) == figures(built)


def test_a_broken_fence_is_a_warning_with_its_line_and_fails_strict(tmp_path: Path) -> None:
    site = copy_site(tmp_path) / "mkdocs"
    page = site / "docs/broken.md"
    page.write_text('# Broken\n\n```tm\nprocess a "A"\na -> nope "x"\nprocess {\n```\n', encoding="utf-8")
    relaxed = mkdocs_build(site)
    assert relaxed.returncode == 0, relaxed.output
    assert re.search(r"docs/broken\.md:6:\d+: error\[E0\d\d\]", relaxed.output), relaxed.output
    assert "Traceback" not in relaxed.output
    strict = mkdocs_build(site, "--strict")
    assert strict.returncode != 0 and "broken.md:6:" in strict.output


def test_a_missing_file_and_a_model_with_errors_are_warnings(tmp_path: Path) -> None:
    site = copy_site(tmp_path) / "mkdocs"
    (site / "bad.tm").write_text('process a "A"\na -> b "x"\n', encoding="utf-8")
    (site / "docs/refs.md").write_text(
        '# Refs\n\n![gone](../nope.tm)\n\n{{ tmdiag("../bad.tm") }}\n\n![Shop](../../models/shop.tm#nope)\n'
        '\n`{{ tmdiag("x.tm" }}`\n\n{{ tmdiag("../../models/shop.tm" }}\n',
        encoding="utf-8",
    )
    result = mkdocs_build(site)
    assert result.returncode == 0, result.output
    assert re.search(r"docs/refs\.md:3: .*nope\.tm: tmdiag: no such model file", result.output), result.output
    assert re.search(r"docs/refs\.md:5: .*bad\.tm:2:6: error\[E101\]: element `b` is not declared", result.output)
    assert "no view or boundary `nope`" in result.output
    assert not re.search(r"refs\.md:9: .*cannot read", result.output)  # inline code stays text
    assert re.search(r"docs/refs\.md:11: tmdiag: cannot read this `\{\{ tmdiag\(` reference", result.output)
    assert mkdocs_build(site, "--strict").returncode != 0


def test_pytm_is_imported_only_for_threats(tmp_path: Path) -> None:
    site = copy_site(tmp_path) / "mkdocs"
    probe = ("import sys\nfrom mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
             "build(load_config('mkdocs.yml'))\nprint('pytm' in sys.modules)\n")  # fmt: skip
    plain = subprocess.run([sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, check=True)
    assert plain.stdout.strip() == "False"
    page = site / "docs/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace('style="cloud"', "threats=true"), encoding="utf-8")
    rated = subprocess.run([sys.executable, "-c", probe], cwd=site, capture_output=True, text=True, check=True)
    assert rated.stdout.strip() == "True"
    assert "top risk:" in (site / "site/index.html").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_serve_rebuilds_when_a_model_changes(tmp_path: Path) -> None:
    root = copy_site(tmp_path)
    site, model = root / "mkdocs", root / "models/shop.tm"
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert ">Web shop<" in _fetch(url)
                break
            except OSError:
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.3)
        model.write_text(model.read_text(encoding="utf-8").replace('"Web shop"', '"Renamed shop"'), encoding="utf-8")
        deadline = time.monotonic() + 30
        while ">Renamed shop<" not in _fetch(url):
            assert time.monotonic() < deadline, "no rebuild after the model changed"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.browser
def test_in_chromium_the_diagram_shows_and_an_element_opens_the_report(built: Path) -> None:
    for browser in launch():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("http*://**", lambda route: route.abort())  # offline (the theme's CDN scripts fail; ours need none)
        page.goto((built / PAGE).resolve().as_uri())
        shop = page.locator("figure.tmdiag").nth(2)  # ![Shop](../../models/shop.tm)
        shop.scroll_into_view_if_needed()
        box: Any = shop.locator("svg").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert shop.locator("svg g.node").count() == 3
        shop.locator("svg g.node a").filter(has_text="Web shop").click()
        page.wait_for_url("**/report/report.html#el-web")
        from playwright.sync_api import expect

        expect(page.locator("#el-web")).to_be_in_viewport()


def test_tm_both_and_tm_source_fences_are_highlighted_code_and_end_where_they_end(tmp_path: Path) -> None:
    site = copy_site(tmp_path) / "mkdocs"
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - codehilite\n", encoding="utf-8")
    (site / "docs/index.md").write_text(
        '# Fences\n\n```tm\nprocess first "First"\n```\n\n```tm both\nactor user "User"\nprocess app "App"\n'
        'user -> app "Use"\n```\n\nSource only:\n\n```tm source\nprocess lone "Lone"\n```\n\nThe end.\n',
        encoding="utf-8",
    )
    result = mkdocs_build(site, "--strict")
    assert result.returncode == 0, result.output
    html = (site / PAGE).read_text(encoding="utf-8")
    body = html[html.index('<h1 id="fences">') : html.index("The end.") + 20]
    blocks = re.findall(r'<div class="codehilite"><pre>.*?</pre></div>|<figure class="tmdiag".*?</figure>|<p>[^<]*</p>',
                        body, re.S)  # fmt: skip
    kinds = ["source" if b.startswith("<div") else "diagram" if b.startswith("<figure") else b for b in blocks]
    assert kinds == ["diagram", "source", "diagram", "<p>Source only:</p>", "source", "<p>The end.</p>"]
    both, alone = (b for b in blocks if b.startswith("<div"))
    assert 'class="kt"' in both and "tm both" not in both and "actor" in both  # Pygments' tm lexer, not the header
    assert ">Lone<" not in html  # `tm source` draws nothing
    assert "Lone" in alone and "The end." not in alone  # the block ends at its fence
