"""A big report split into linked pages (tmdiag.report.pages): every link between the pages resolves,
each page is self-contained and safe like report.html, the threat texts appear once, and the output
is deterministic. Page sizes are shrunk (conftest.SMALL_PAGES) so the example needs many pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.report.conftest import EXAMPLE, paged_report, report
from tests.report.test_links import anchors_of
from tmdiag.report import REPORT_FILES

ROOT = Path(__file__).resolve().parents[2]
_LINK = re.compile(r'(?:xlink:)?href="([^"]*)"')


def _html(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}


def test_a_small_report_is_one_page(example_dir: Path) -> None:
    assert sorted(p.name for p in example_dir.iterdir() if p.suffix in (".html", ".md", ".json")) == sorted(
        n for n in REPORT_FILES if not n.endswith(".svg")
    )


def test_a_big_report_has_pages_of_every_kind(paged_dir: Path) -> None:
    names = set(_html(paged_dir))
    for kind in ("threats", "elements", "flows", "plan", "lint"):
        assert {f"{kind}-1.html", f"{kind}-2.html"} <= names, kind
    assert any(n.startswith("boundary-") for n in names)


def test_every_link_between_the_pages_resolves(paged_dir: Path) -> None:
    pages = _html(paged_dir)
    ids = {name: anchors_of(text).ids for name, text in pages.items()}
    for name, found in ids.items():
        assert not [i for i, n in Counter(found).items() if n > 1], f"duplicate ids in {name}"
    broken, across = [], 0
    for name, text in pages.items():
        for link in _LINK.findall(text):
            if link.startswith(("http://", "https://", "data:")):
                continue
            file, _, fragment = link.partition("#")
            file = file or name
            across += file != name
            if file.endswith(".svg") and (paged_dir / file).is_file() and not fragment:
                continue
            if file not in pages or (fragment and fragment not in ids[file]):
                broken.append(f"{name} -> {link}")
    assert across > 100  # links do cross pages (the parser saw them)
    assert not broken, broken[:20]


def test_every_finding_is_on_one_threats_page_and_its_target_links_to_it(paged_dir: Path) -> None:
    pages = _html(paged_dir)
    articles = Counter(m for name, text in pages.items() if name.startswith("threats-")
                       for m in re.findall(r'<article class="threat" id="([^"]+)"', text))  # fmt: skip
    assert articles and set(articles.values()) == {1}
    lists = "".join(text for name, text in pages.items() if name.startswith(("elements-", "flows-")))
    linked = set(re.findall(r'href="threats-\d+\.html#(threat-[^"]+)"', lists))
    threats = "".join(text for name, text in pages.items() if name.startswith("threats-"))
    targets = dict(re.findall(r'<article class="threat" id="([^"]+)".*?<div class="meta">on <a href="([^"]+)"', threats,
                              flags=re.S))  # fmt: skip
    on_elements_and_flows = {a for a, target in targets.items() if re.search(r"#(?:el|flow)-", target)}
    assert len(on_elements_and_flows) > 50 and linked == on_elements_and_flows  # listed with their target


def test_threat_texts_appear_once(paged_dir: Path) -> None:
    """A threat's description, details and mitigations are in report.html's library only, not per finding."""
    pages = _html(paged_dir)
    main = pages["report.html"]
    description = re.search(r'<article class="libentry"[^>]*>.*?<p>([^<]{60,})</p>', main, flags=re.S)
    assert description
    text = description.group(1)
    assert main.count(text) == 1
    assert not [name for name, page in pages.items() if name != "report.html" and text in page]


def test_pages_are_self_contained_and_keep_the_policy(paged_dir: Path) -> None:
    for name, text in _html(paged_dir).items():
        assert "default-src 'none'" in text and "base-uri 'none'" in text, name
        assert not re.search(r'\s(?:src|srcset)="(?!data:)', text), name
        assert "<script>" in text and text.count("<script") == 1, name


def test_paged_output_is_deterministic() -> None:
    assert paged_report(EXAMPLE) == paged_report(EXAMPLE)


def test_paged_report_marks_overdue_items(paged_dir: Path) -> None:
    main = _html(paged_dir)["report.html"]
    top = main.split('<h3 id="top-risks">', 1)[1].split("<h2 ", 1)[0]
    assert "PAY-151" in top and "overdue" in top  # due 2027-01-15, the report is for 2027-06-01


def test_the_cli_names_the_pages(tmp_path: Path, capsys: object, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    from tmdiag.report import pages

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(pages, "PAGED_ABOVE", 10)
    assert report(EXAMPLE, tmp_path) == 0
    assert (tmp_path / "threats-1.html").is_file() and (tmp_path / "elements-1.html").is_file()


def test_standalone_diagrams_link_to_the_pages(paged_dir: Path) -> None:
    """dfd.svg and the per-boundary SVG files open report.html, or the page a moved target is on."""
    pages = _html(paged_dir)
    ids = {name: set(anchors_of(text).ids) for name, text in pages.items()}
    links = [
        (svg.name, link)
        for svg in sorted(paged_dir.glob("*.svg"))
        for link in _LINK.findall(svg.read_text(encoding="utf-8"))
        if "#" in link and not link.startswith("#")
    ]
    assert any(link.startswith("flows-") for _, link in links)  # flows moved: the edges follow them
    broken = [
        f"{svg} -> {link}" for svg, link in links if link.partition("#")[2] not in ids.get(link.partition("#")[0], ())
    ]
    assert not broken, broken[:10]
