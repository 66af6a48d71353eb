"""tmdiag.diagram: structure of the DOT, the SVG that Graphviz draws from it, risk, views."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest

import tmdiag
from tests.golden import assert_golden
from tests.render.conftest import ROOT, finding, generated
from tmdiag.diagram import DiagramError, draw, icons, render, scene
from tmdiag.model.nodes import Model

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
HERE = Path(__file__).parent


def parse(dot: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(dot)
    assert graphs
    return graphs[0]


def clusters(graph: pydot.Graph, parent: str | None = None) -> dict[str, str | None]:
    """cluster name -> enclosing cluster name."""
    found: dict[str, str | None] = {}
    for sub in graph.get_subgraphs():
        name = sub.get_name().strip('"')
        found[name] = parent
        found.update(clusters(sub, name))
    return found


def unquote(value: object) -> str:
    text = str(value)
    return text[1:-1] if text.startswith('"') and text.endswith('"') else text


def svg_links(data: bytes) -> dict[str, str]:
    """href -> title of every <a> in the SVG."""
    root = ET.fromstring(data)
    return {a.get(f"{XLINK}href", ""): a.get(f"{XLINK}title", "") for a in root.iter(f"{SVG}a")}


def test_boundaries_are_nested_dashed_clusters_labelled_with_trust(checkout: Model) -> None:
    graph = parse(render(checkout, fmt="dot").dot)
    nesting = clusters(graph)
    assert nesting == {"cluster_tb_internet": None, "cluster_tb_prod": None,
                       "cluster_tb_public": "cluster_tb_prod", "cluster_tb_private": "cluster_tb_prod"}  # fmt: skip
    prod = next(s for s in graph.get_subgraphs() if s.get_name() == "cluster_tb_prod")
    assert "dashed" in unquote(prod.get("style"))
    assert unquote(prod.get("label")) == "AWS account prod\\ntrust: high"
    public = prod.get_subgraphs()[0]
    assert [n.get_name() for n in public.get_nodes()] == ["el_web"]


def test_flows_are_numbered_edges_with_protocol_and_replies_merged(checkout: Model) -> None:
    graph = parse(render(checkout, fmt="dot").dot)
    edges = {unquote(e.get("id")): e for e in graph.get_edges()}
    assert list(edges) == ["dfd-flow-1", "dfd-flow-3", "dfd-flow-4", "dfd-flow-6"]  # replies 2 and 5 merged
    submit = edges["dfd-flow-1"]
    assert (submit.get_source(), submit.get_destination(), submit.get("dir")) == ("el_customer", "el_web", "both")
    assert unquote(submit.get("label")) == "1. Submit checkout [https:443]\\n2. Confirmation [https]"
    assert edges["dfd-flow-3"].get("dir") == "forward"
    assert unquote(edges["dfd-flow-3"].get("label")) == "3. Store order [postgres:5432]"


def test_merge_reply_false_keeps_the_reply_as_its_own_edge() -> None:
    model = tmdiag.loads('process a\nprocess b\na -> b "ask" { merge_reply: false } reply "answer"\n')
    graph = parse(render(model, fmt="dot").dot)
    edges = [(e.get_source(), e.get_destination(), unquote(e.get("label"))) for e in graph.get_edges()]
    assert edges == [("el_a", "el_b", "1. ask"), ("el_b", "el_a", "2. answer")]


def test_layout_avoids_ortho_and_uses_newrank(checkout: Model) -> None:
    graph = parse(render(checkout, fmt="dot").dot)
    assert graph.get("newrank") == "true"
    assert graph.get("splines") in ("true", "line")
    assert "ortho" not in render(checkout, fmt="dot", style="cloud").dot


def test_dfd_shapes_and_cloud_icons(checkout: Model) -> None:
    dfd = parse(render(checkout, fmt="dot").dot)
    shapes = {n.get_name(): n.get("shape") for s in clusters_and_root(dfd) for n in s.get_nodes()}
    assert shapes["el_customer"] == "box"
    assert shapes["el_web"] == "ellipse"
    assert shapes["el_db"] == "cylinder"
    assert shapes["el_assistant"] == "hexagon"
    cloud = render(checkout, fmt="dot", style="cloud").dot
    for icon in ("aws/compute/ec2.png", "aws/database/rds.png", "aws/compute/lambda.png", "aws/ml/bedrock.png"):
        assert icon in cloud


def clusters_and_root(graph: pydot.Graph) -> list[pydot.Graph]:
    found: list[pydot.Graph] = [graph]
    for sub in graph.get_subgraphs():
        found.extend(clusters_and_root(sub))
    return found


@pytest.mark.parametrize("style", ["dfd", "cloud"])
def test_svg_is_clickable_and_self_contained(checkout: Model, style: str) -> None:
    diagram = render(checkout, style=style, link_prefix="report.html")
    links = svg_links(diagram.data)
    assert "report.html#el-web" in links
    assert links["report.html#el-web"].startswith("Process: Checkout web app\ntrust: medium")
    assert "report.html#flow-1" in links
    assert "report.html#tb-private" in links and "trust: high" in links["report.html#tb-private"]
    text = diagram.data.decode("utf-8")
    assert "/site-packages/" not in text and str(ROOT) not in text and "file:" not in text
    assert "data:image/png;base64," in text  # icons inlined (web, db, fraud have `icon:`)
    root = ET.fromstring(diagram.data)
    ids = [g.get("id") for g in root.iter(f"{SVG}g")]
    assert "dfd-el-web" in ids and "dfd-flow-1" in ids and "dfd-tb-prod" in ids
    assert not list(root.iter(f"{SVG}image")) or all(
        i.get(f"{XLINK}href", "").startswith("data:") for i in root.iter(f"{SVG}image")
    )


def test_hostile_labels_are_escaped_in_dot_and_svg(hostile: Model) -> None:
    diagram = render(hostile)
    graph = parse(diagram.dot)
    names = {n.get_name(): unquote(n.get("label")) for s in clusters_and_root(graph) for n in s.get_nodes()}
    assert names["el_p1"].startswith('<script>alert(\\"x\\") &amp; y</script>')
    root = ET.fromstring(diagram.data)  # well-formed XML
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '<script>alert("x") & y</script>' in texts
    assert "back\\slash &lt; \\N" in texts  # shown as written: no entity decoding, no \N expansion
    assert '1. q "quoted" & <i> [h<t>tp]' in texts
    assert "A & <b>model</b>" in texts


def test_boundaries_with_the_same_label_stay_apart(hostile: Model) -> None:
    nesting = clusters(parse(render(hostile, fmt="dot").dot))
    assert nesting == {"cluster_tb_outer": None, "cluster_tb_inner": "cluster_tb_outer"}


def test_unknown_icon_is_a_note_not_a_crash(hostile: Model) -> None:
    for style in ("dfd", "cloud"):
        diagram = render(hostile, style=style, fmt="dot")
        assert any("unknown icon `aws.nope` on `p1`" in note for note in diagram.notes)


def test_icon_names_resolve() -> None:
    assert icons.resolve("aws.ec2").__name__ == "EC2"  # type: ignore[union-attr]
    assert icons.resolve("k8s.pod").__name__ == "Pod"  # type: ignore[union-attr]
    assert icons.resolve("gcp.compute.gce") is not None
    assert icons.resolve("onprem.postgresql") is not None
    assert icons.resolve("azure.vm") is not None
    assert icons.resolve("generic.rack") is not None
    for bad in ("aws.nope", "nope.ec2", "aws", "aws.a.b.c", ""):
        assert icons.resolve(bad) is None
    for provider, table in icons.DEFAULTS.items():
        for key, name in table.items():
            assert icons.resolve(name) is not None, (provider, key, name)


def test_mirror_matches_the_dot_diagrams_writes(checkout: Model) -> None:
    drawn = draw.build(checkout, scene.whole(checkout), "cloud")
    theirs, ours = parse(drawn.source), drawn.graph
    assert clusters(theirs) == clusters(ours)

    def nodes(graph: pydot.Graph) -> dict[str, str]:
        return {n.get_name(): unquote(n.get("image")) for g in clusters_and_root(graph) for n in g.get_nodes()
                if n.get_name() not in ("node", "edge", "graph")}  # fmt: skip

    assert nodes(theirs) == nodes(ours)
    assert [(e.get_source(), e.get_destination(), e.get("dir")) for e in theirs.get_edges()] == [
        (e.get_source(), e.get_destination(), e.get("dir")) for e in ours.get_edges()
    ]


def test_risk_colours_targets_and_adds_a_legend(checkout: Model) -> None:
    findings = [
        finding("web", "critical"),
        finding("db", "high"),
        finding("fraud", "critical", status="mitigated"),  # not open: not marked
        finding("assistant", "medium"),  # below high: tooltip only
        finding("flow-3", "high"),
        finding("submit", "critical"),  # a flow by name
    ]
    graph = parse(render(checkout, fmt="dot", findings=findings).dot)
    nodes = {n.get_name(): n for g in clusters_and_root(graph) for n in g.get_nodes()}
    assert unquote(nodes["el_web"].get("color")) == "#C0392B"
    assert unquote(nodes["el_db"].get("color")) == "#E67E22"
    assert nodes["el_fraud"].get("color") is None
    assert nodes["el_assistant"].get("color") is None
    assert "top risk: medium" in unquote(nodes["el_assistant"].get("tooltip"))
    edges = {unquote(e.get("id")): e for e in graph.get_edges()}
    assert unquote(edges["dfd-flow-3"].get("color")) == "#E67E22"
    assert unquote(edges["dfd-flow-1"].get("color")) == "#C0392B"
    assert edges["dfd-flow-6"].get("color") is None
    assert "cluster_legend" in clusters(graph)
    assert "cluster_legend" not in clusters(parse(render(checkout, fmt="dot").dot))


def test_boundary_view_shows_the_boundary_and_what_crosses_it(checkout: Model) -> None:
    graph = parse(render(checkout, fmt="dot", boundary="public").dot)
    nodes = {n.get_name() for g in clusters_and_root(graph) for n in g.get_nodes()} - {"node", "edge", "graph"}
    assert nodes == {"el_web", "el_customer", "el_db", "el_fraud"}  # not the assistant
    assert set(clusters(graph)) == {"cluster_tb_internet", "cluster_tb_prod", "cluster_tb_public",
                                    "cluster_tb_private"}  # fmt: skip
    with pytest.raises(DiagramError, match="no boundary `nope`"):
        render(checkout, boundary="nope")


def test_big_models_are_split_into_views_and_say_so() -> None:
    model = generated(50)
    diagram = render(model, split_at=20, stem="dfd")
    assert diagram.notes[0].startswith("drawn as per-boundary views: model has 50 elements")
    assert [bid for bid, _ in diagram.views] == [f"b{i}" for i in range(10)]
    assert all(ET.fromstring(data) is not None for _, data in diagram.views)
    assert "dfd.b3.svg" in svg_links(diagram.data)
    for _, data in diagram.views:  # each view's title leads back to the overview
        assert svg_links(data)["dfd.svg"] == "back to the overview"


@pytest.mark.parametrize("size", [50, 200, 500])
def test_generated_models_render_without_crashing_graphviz(size: int) -> None:
    model = generated(size)
    diagram = render(model, fmt="svg", warn=False)
    assert diagram.notes == (diagram.notes[0],)  # the split note only: no fallback was needed
    full: list[str] = []
    for _, data in diagram.views:
        root = ET.fromstring(data)
        nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
        full += [g.get("id", "") for g in nodes if g.find(f"{SVG}g/{SVG}a") is not None
                 and "«" in "".join(g.itertext())]  # fmt: skip
    assert len(full) == size  # every element drawn in full in exactly one view (elsewhere as a stub)
    overview = ET.fromstring(diagram.data)
    assert len([g for g in overview.iter(f"{SVG}g") if g.get("class") == "node"]) == 10


def test_generated_500_in_the_cloud_style() -> None:
    diagram = render(generated(500), fmt="svg", style="cloud", warn=False)
    for _, view in diagram.views:
        assert view.count(b"data:image/png;base64,") < 20  # each icon once, then <use>


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.tm")), ids=lambda p: p.name)
def test_every_example_renders(example: Path) -> None:
    model = tmdiag.load(example)
    for style in ("dfd", "cloud"):
        diagram = render(model, style=style)
        root = ET.fromstring(diagram.data)
        assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]) == len(model.elements)
        assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]) == len(model.boundaries)


def test_png_and_bad_arguments(checkout: Model) -> None:
    assert render(checkout, fmt="png").data.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(DiagramError, match="unknown format"):
        render(checkout, fmt="pdf")
    with pytest.raises(DiagramError, match="unknown style"):
        render(checkout, style="fancy")


def test_checkout_dot_golden(checkout: Model) -> None:
    dot = render(checkout, fmt="dot", style="cloud").dot
    resources = str(Path(icons.icon_path(icons.resolve("aws.ec2"))).parents[2])  # type: ignore[arg-type]
    assert_golden(dot.replace(resources, "<diagrams-resources>"), HERE / "golden" / "checkout-cloud.dot")


def test_empty_boundaries_hyphenated_ids_and_self_loops_draw() -> None:
    model = tmdiag.loads(
        'boundary outer-zone "Outer" {\n  boundary empty-one "Nothing" { trust: high }\n  process my-proc "P"\n}\n'
        'boundary lonely "Lonely" { trust: full }\nprocess free "F"\nmy-proc -> my-proc "loop"\n'
        'free -> my-proc "in" reply "out"\n'
    )
    root = ET.fromstring(render(model).data)
    titles = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    assert {"dfd-tb-outer-zone", "dfd-tb-empty-one", "dfd-tb-lonely", "dfd-el-my-proc", "dfd-flow-1"} <= set(titles)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("(no elements)") == 2  # Graphviz would drop an empty cluster
    assert "2. in" in texts and "3. out" in texts


def test_a_model_without_elements_draws() -> None:
    assert ET.fromstring(render(tmdiag.loads('model "Empty" {}')).data) is not None


def test_an_element_named_like_a_flow_keeps_its_risk_to_itself() -> None:
    model = tmdiag.loads('process flow-2 "Odd"\nprocess b "B"\nfirst: b -> flow-2 "one"\nsecond: b -> flow-2 "two"\n')
    graph = parse(render(model, fmt="dot", findings=[finding("flow-2", "critical")]).dot)
    nodes = {n.get_name(): n for g in clusters_and_root(graph) for n in g.get_nodes()}
    edges = {unquote(e.get("id")): e for e in graph.get_edges()}
    assert unquote(nodes['"el_flow-2"'].get("color")) == "#C0392B"
    shared = edges["dfd-flow-1"]  # flows 1 and 2 join the same two elements: one arrow, two lines
    assert unquote(shared.get("label")) == "1. one\\n2. two"
    assert shared.get("color") is None  # neither flow has a finding of its own
    assert "top risk: none open" in unquote(shared.get("tooltip"))


def test_overview_counts_flows_between_hyphenated_boundaries() -> None:
    model = tmdiag.loads(
        'boundary a "A" { process x "X" }\nboundary b-c "BC" { process y "Y" }\n'
        'boundary a-b "AB" { process z "Z" }\nboundary c "C" { process w "W" }\n'
        'x -> y "one"\nz -> w "two"\nz -> w "three"\n'
    )
    graph = parse(render(model, fmt="dot", split_at=1, warn=False).dot)
    labels = {
        (e.get_source().strip('"'), e.get_destination().strip('"')): unquote(e.get("label")) for e in graph.get_edges()
    }
    assert labels == {("ov_a", "ov_b-c"): "1 flow", ("ov_a-b", "ov_c"): "2 flows"}


def test_flows_between_the_same_two_elements_share_one_arrow() -> None:
    model = tmdiag.loads(
        'process a "A"\nprocess b "B"\na -> b "read"\nb -> a "push"\na -> b "write" reply "ok"\n'
        'a -> b "alone" { merge_reply: false }\n'
    )
    graph = parse(render(model, fmt="dot").dot)
    edges = {unquote(e.get("id")): e for e in graph.get_edges()}
    assert list(edges) == ["dfd-flow-1", "dfd-flow-5"]
    assert edges["dfd-flow-1"].get("dir") == "both"
    assert unquote(edges["dfd-flow-1"].get("label")) == "1, 2, 3, 4\\n(4 flows)"  # more than three: numbers
    assert "Flow 2: B → A" in unquote(edges["dfd-flow-1"].get("tooltip"))


def test_overview_draws_one_arrow_per_boundary_pair_with_unique_ids() -> None:
    # a VPC's own element and its subnet's nested namespace both talk to the subnet: one pair
    model = tmdiag.loads(
        'boundary vpc "VPC" { process v "V"\n'
        '  boundary net "Net" { process n "N"\n    boundary ns "NS" { process s "S" } } }\n'
        'boundary other "Other" { boundary o1 "O1" { process p "P" } process q "Q" }\n'
        'v -> n "one"\nn -> v "back"\ns -> v "deep"\np -> v "cousin"\nq -> v "cousin 2"\nv -> p "to"\n'
    )
    diagram = render(model, fmt="svg", split_at=1, warn=False)
    graph = parse(diagram.dot)
    pairs = [tuple(sorted(unquote(e.get("id")).split("-")[2:])) for e in graph.get_edges()]
    assert sorted(pairs) == [("net", "vpc"), ("other", "vpc")]  # one arrow per unordered pair
    ids = [n.get("id") for n in ET.fromstring(diagram.data).iter() if n.get("id")]
    assert len(ids) == len(set(ids))
    tooltips = sorted(unquote(e.get("tooltip")) for e in graph.get_edges())
    assert tooltips == ["2 flows from net to vpc, 1 back", "2 flows from other to vpc, 1 back"]
    lone = tmdiag.loads('boundary a "A" { process x "X" }\nboundary b "B" { process y "Y" }\nx -> y "one"\n')
    (edge,) = parse(render(lone, fmt="dot", split_at=1, warn=False).dot).get_edges()
    assert unquote(edge.get("tooltip")) == "1 flow from a to b"  # not "1 flows"
