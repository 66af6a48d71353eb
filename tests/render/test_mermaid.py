"""Mermaid output drawn by the real `mermaid` library (npm, loaded from disk) in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tmdiag
from tests.chromium import launch
from tests.render.conftest import finding, generated
from tmdiag.diagram import mermaid, render
from tmdiag.model.nodes import Model

pytestmark = pytest.mark.browser
JS = Path(__file__).parent / "js"
MERMAID = JS / "node_modules/mermaid/dist/mermaid.min.js"

DRAW = """async (text) => {
  const id = "m" + Math.floor(Math.random() * 1e9);
  try { await mermaid.parse(text); } catch (e) { return {error: String(e.message || e)}; }
  const {svg} = await mermaid.render(id, text);
  const box = document.getElementById("out");
  box.innerHTML = svg;
  const texts = (sel) => [...box.querySelectorAll(sel)].map(n => n.textContent.trim());
  return {
    nodes: [...box.querySelectorAll("g.node")].map(
      n => ({id: n.id, text: n.textContent.trim(), cls: n.getAttribute("class")})),
    clusters: texts("g.cluster .cluster-label"),
    edges: box.querySelectorAll("path.flowchart-link").length,
    edgeLabels: texts("g.edgeLabel").filter(t => t),
    links: [...box.querySelectorAll("a")].map(a => a.getAttribute("href") || a.getAttribute("xlink:href")),
  };
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not MERMAID.is_file():
        if shutil.which("npm") is None:
            pytest.fail("npm is not installed: run `make test-deps`")
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=JS, check=True, timeout=300)
    requests: list[str] = []
    for browser in launch():
        context = browser.new_context()
        tab = context.new_page()
        tab.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
        tab.set_content('<html><body><div id="out"></div></body></html>')
        tab.add_script_tag(path=str(MERMAID))
        tab.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'loose'})")
        yield tab
        assert not requests  # nothing fetched: the library and the diagram are self-contained
        context.close()


def draw(page: Any, text: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(DRAW, text)
    assert "error" not in result, f"{result.get('error')}\n{text}"
    return result


def test_checkout_draws_every_element_boundary_and_flow(page: Any, checkout: Model) -> None:
    text = render(checkout, fmt="mermaid", link_prefix="report.html").data.decode("utf-8")
    drawn = draw(page, text)
    assert len(drawn["nodes"]) == len(checkout.elements)
    assert {"Checkout web app«process»", "Orders DB«datastore»", "Customer«actor»"} <= {
        n["text"] for n in drawn["nodes"]
    }
    assert sorted(drawn["clusters"]) == ["AWS account prod (trust: high)", "Internet (trust: untrusted)",
                                         "Private subnet (trust: high)", "Public subnet (trust: medium)"]  # fmt: skip
    assert drawn["edges"] == 4  # replies 2 and 5 share their request's edge
    assert "1. Submit checkout [https:443]2. Confirmation [https]" in drawn["edgeLabels"]
    assert "report.html#el-web" in drawn["links"]


def test_shapes_follow_the_element_kind(checkout: Model) -> None:
    text = render(checkout, fmt="mermaid").data.decode("utf-8")
    assert 'el_db[("Orders DB<br/>«datastore»")]' in text
    assert 'el_web(["Checkout web app<br/>«process»"])' in text
    assert 'el_assistant{{"Support assistant<br/>«llm»"}}' in text


def test_hostile_labels_show_as_written_and_cannot_break_out(page: Any, hostile: Model) -> None:
    text = render(hostile, fmt="mermaid").data.decode("utf-8")
    drawn = draw(page, text)
    labels = {n["text"] for n in drawn["nodes"]}
    assert '<script>alert("x") & y</script>«process»' in labels
    assert "back\\slash &lt; \\N«datastore»" in labels
    assert drawn["edgeLabels"] == ['1. q "quoted" & <i> [h<t>tp]']
    assert text.startswith("%% A #38; #60;b#62;model#60;/b#62;\n")  # the title, as a comment
    assert page.evaluate("document.querySelectorAll('#out script, #out i, #out b').length") == 0


def test_risk_classes_colour_open_findings(page: Any, checkout: Model) -> None:
    findings = [finding("web", "critical"), finding("db", "high"), finding("flow-3", "high")]
    text = render(checkout, fmt="mermaid", findings=findings).data.decode("utf-8")
    assert "class el_web critical" in text and "class el_db high" in text
    assert "linkStyle 1 stroke:#E67E22" in text
    classes = {n["text"]: n["cls"] for n in draw(page, text)["nodes"]}
    assert "critical" in classes["Checkout web app«process»"]


def test_ids_stay_distinct_and_keywords_are_safe(page: Any) -> None:
    model = tmdiag.loads(
        'boundary end "End" { process a-b "one"  process a_b "two"  process end-1 "three" }\n'
        'process graph "four"\na-b -> a_b "x"\nend-1 -> graph "y"\ngraph -> graph "loop"\n'
    )
    text = render(model, fmt="mermaid").data.decode("utf-8")
    drawn = draw(page, text)
    assert len(drawn["nodes"]) == 4 and drawn["edges"] == 3
    assert mermaid.node_id("a-b") != mermaid.node_id("a_b")


def test_split_models_write_an_overview_and_views_that_draw(page: Any) -> None:
    diagram = render(generated(50), fmt="mermaid", split_at=20, stem="dfd", warn=False)
    overview = draw(page, diagram.data.decode("utf-8"))
    assert not [link for link in overview["links"] if link and link.endswith(".mmd")]  # raw sources show nothing
    assert len(diagram.views) == 10
    for _, view in diagram.views[:3]:
        assert draw(page, view.decode("utf-8"))["nodes"]


def test_mermaid_needs_no_graphviz(checkout: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert render(checkout, fmt="mermaid").data.startswith(b"%% Checkout\nflowchart LR\n")


def _fences(markdown: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in markdown.splitlines():
        if line.strip() == "```mermaid" and not inside:
            inside, current = True, []
        elif line.strip() == "```" and inside:
            inside = False
            blocks.append("\n".join(current) + "\n")
        elif inside:
            current.append(line)
    return blocks


def test_report_md_embeds_mermaid_that_draws(page: Any, tmp_path: Path) -> None:
    from tmdiag.cli import main

    root = Path(__file__).resolve().parents[2]
    assert main(["report", str(root / "examples/checkout.tm"), "-o", str(tmp_path), "--diagram-format", "mermaid",
                 "--today", "2026-11-01", "-q"]) == 0  # fmt: skip
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "![Data flow diagram](dfd.svg)" not in md
    chart, view = _fences(md)  # the diagram, and the view the example declares
    drawn = draw(page, chart)
    assert len(drawn["nodes"]) == 5 and "#el-web" in drawn["links"]
    assert draw(page, view)["nodes"]
    assert (tmp_path / "report.html").read_text(encoding="utf-8").count("<svg") >= 1  # HTML keeps its SVG


def test_report_md_mermaid_of_a_hostile_model_stays_inside_its_fence(page: Any, tmp_path: Path) -> None:
    from tmdiag.cli import main

    model = tmp_path / "hostile.tm"
    model.write_text('process a "```\\n# heading ` <b>x</b> %% end"\nprocess b "b"\na -> b "```"\n', encoding="utf-8")
    assert main(["report", str(model), "-o", str(tmp_path / "out"), "--diagram-format", "mermaid",
                 "--today", "2026-11-01", "-q"]) == 0  # fmt: skip
    md = (tmp_path / "out/report.md").read_text(encoding="utf-8")
    (chart,) = _fences(md)
    labels = {n["text"] for n in draw(page, chart)["nodes"]}
    assert "```# heading ` <b>x</b> %% end«process»" in labels  # the line break became a <br>


def test_a_big_overview_is_aggregated_like_the_svg_one(page: Any) -> None:
    import realistic

    model = tmdiag.loads(realistic.realistic(300))
    svg = render(model, fmt="svg", warn=False).data.decode("utf-8")
    drawn = draw(page, render(model, fmt="mermaid", warn=False, view_names="#view-{id}").data.decode("utf-8"))
    assert drawn["edges"] == svg.count('class="edge"') < 60  # one edge per boundary pair, as in the SVG
    assert "#view-acct0_vpc0_net0" in drawn["links"]  # in-page links (report.md's sections) stay
