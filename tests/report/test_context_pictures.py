"""Per-element context pictures in the report: each element with its neighbours one flow away."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import tmdiag
from tmdiag.cli import main
from tmdiag.diagram import context

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def test_every_element_section_shows_its_context(tmp_path: Path) -> None:
    assert main(["report", str(ROOT / "examples/checkout.tm"), "-o", str(tmp_path), "-q", "--today", "2026-11-01"]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    model = tmdiag.load(ROOT / "examples/checkout.tm")
    assert html.count('<figure class="context">') == len(model.elements)
    web = html[html.index('<section class="element" id="el-web">') :]
    web = web[: web.index("</section>")]
    links = set(re.findall(r'href="([^"]+)"', web[web.index('<figure class="context">') :]))
    assert {"#el-customer", "#el-db", "#el-fraud", "#flow-1", "#flow-3", "#flow-4", "#tb-public", "#tb-prod"} <= links
    ids = re.findall(r'<marker id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 2 * len(model.elements)  # one page, many pictures: ids stay apart


def test_sides_frames_and_risk() -> None:
    model = tmdiag.load(ROOT / "examples/checkout.tm")
    svg = context.picture(model, "web", context.index(model), {"web": "critical"})
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Checkout web app «process»" in texts
    assert {"Customer", "Orders DB", "Fraud scorer"} <= set(texts)
    assert {"Internet · untrusted", "Private subnet · high", "Public subnet · medium"} <= set(texts)
    assert 'stroke="#C0392B"' in svg  # the element's open critical finding outlines it
    customer = context.picture(model, "customer", context.index(model))
    assert "marker-start" in customer  # submit and its reply: both ways


def test_hostile_labels_are_escaped() -> None:
    model = tmdiag.loads('process a "<script>alert(1)</script> & \\"q\\""\nprocess b "</svg><b>x</b>"\na -> b "<i>"\n')
    svg = context.picture(model, "a", context.index(model))
    root = ET.fromstring(svg)  # well-formed
    assert not [e for e in root.iter() if e.tag.endswith(("script", "b", "i"))]
    assert "</svg><b>x</b>" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_hub_lists_its_first_neighbours_and_counts_the_rest() -> None:
    lines = ['process hub "Hub"'] + [f'process n{i} "N{i}"\nhub -> n{i} "f{i}"' for i in range(30)]
    model = tmdiag.loads("\n".join(lines) + "\n")
    svg = context.picture(model, "hub", context.index(model))
    assert svg.count("<rect") == 1 + context.MAX_PER_SIDE
    assert f"… and {30 - context.MAX_PER_SIDE} more" in svg
