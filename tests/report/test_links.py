"""Every in-page link of the report resolves: each `href="#x"` has an element with `id="x"`, and no
id is used twice. Checked on the report of every example, of the hostile-label model and of the small
golden model (HTML), and on the Markdown of the small model (`<a id>` anchors and heading slugs)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report.conftest import HOSTILE, report, split_report

ROOT = Path(__file__).resolve().parents[2]
MODELS = [*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.tm")), HOSTILE,
          "tests/report/golden/small.tm"]  # fmt: skip


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "id" and value is not None:
                self.ids.append(value)
            elif key in ("href", "xlink:href") and value is not None and value.startswith("#"):
                self.links.append(value[1:])


def anchors_of(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("model", MODELS, ids=lambda m: Path(m).stem)
def test_every_internal_link_of_the_html_report_resolves(model: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(ROOT)
    assert report(model, tmp_path) == 0
    page = anchors_of((tmp_path / "report.html").read_text(encoding="utf-8"))
    ids = Counter(page.ids)
    assert not [i for i, count in ids.items() if count > 1], "duplicate ids"
    assert len(page.links) > 20  # the parser saw the links (the diagram's, the sections')
    broken = sorted({link for link in page.links if link not in ids})
    assert not broken, f"links without a target in {model}: {broken[:20]}"
    if Path(model).parent.name == "examples":  # with a diagram: its nodes link into the report
        assert any(link.startswith("el-") for link in page.links)


def test_the_checker_sees_a_broken_link() -> None:
    page = anchors_of('<a href="#here">x</a><p id="here"></p><svg><a xlink:href="#gone"></a></svg>')
    assert page.links == ["here", "gone"] and page.ids == ["here"]


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_internal_link_of_the_markdown_report_resolves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert report("tests/report/golden/small.tm", tmp_path) == 0
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    targets = set(re.findall(r'<a id="([^"]+)"></a>', md))
    targets |= {_slug(h) for h in re.findall(r"^#+ (.*)$", md, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", md)
    assert links and not sorted(set(links) - targets)


def test_per_boundary_views_share_the_page_without_duplicate_ids() -> None:
    """A big model's overview and its per-boundary views are inlined in one page: each view's ids get
    their own prefix (Graphviz numbers every picture `graph0`, and icons repeat in each)."""
    diagram, files = split_report(ROOT / "examples" / "checkout.tm")
    assert len(diagram.views) >= 2
    page = anchors_of(files["report.html"].decode("utf-8"))
    ids = Counter(page.ids)
    assert not [i for i, count in ids.items() if count > 1], "duplicate ids"
    assert not sorted({link for link in page.links if link not in ids})
    assert any(i.startswith("dfd-view-") for i in ids)
