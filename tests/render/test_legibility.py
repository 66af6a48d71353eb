"""Legibility of the drawn pictures, measured on realistic generated models (bench/realistic.py)
with the benchmark's own measure (bench/legibility.py): aspect, text size at fit, overlapping labels."""

from __future__ import annotations

import os
import subprocess
import sys

import legibility
import pydot
import pytest
import realistic

import tmdiag
from tests.render.conftest import ROOT
from tmdiag.diagram import dottext, render, scene, untangle


def pictures(size: int) -> list[legibility.Legibility]:
    diagram = render(tmdiag.loads(realistic.realistic(size)), fmt="svg", warn=False)
    return [legibility.measure(p) for p in (diagram.data, *(data for _, data in diagram.views))]


def test_a_small_model_is_one_picture_that_meets_every_target() -> None:
    (picture,) = pictures(20)
    assert picture.ok, picture


def test_a_50_element_model_is_an_overview_and_views_that_all_meet_the_targets() -> None:
    measured = pictures(50)
    assert len(measured) > 2
    assert all(m.ok for m in measured), [m for m in measured if not m.ok]


def test_a_300_element_model_stays_legible() -> None:
    measured = pictures(300)
    assert sum(m.overlaps for m in measured) == 0
    assert all(1 / 3 <= m.aspect <= 3 for m in measured)
    assert min(m.text_px for m in measured) >= 6.5
    assert sum(m.ok for m in measured) >= 0.8 * len(measured)  # the rest: busy boundaries, 7-8 px


def test_the_overview_links_every_view_and_stubs_link_their_boundary() -> None:
    model = tmdiag.loads(realistic.realistic(100))
    diagram = render(model, fmt="svg", stem="dfd", warn=False)
    overview = diagram.data.decode("utf-8")
    for boundary_id, view in diagram.views:
        assert f'xlink:href="dfd.{boundary_id}.svg"' in overview
        text = view.decode("utf-8")
        others = {e.boundary for e in model.elements if e.boundary != boundary_id}
        assert any(f'xlink:href="dfd.{other}.svg"' in text for other in others)  # a stub links a neighbour


def test_overlapping_flow_labels_are_moved_apart() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0.00 0.00 400.00 200.00">'
        b'<g id="graph0" transform="translate(4 196)">'
        b'<g id="a_dfd&#45;flow&#45;1&#45;label"><text text-anchor="middle" x="100" y="-100" font-size="12.00">'
        b"1. first label</text></g>"
        b'<g id="a_dfd&#45;flow&#45;2&#45;label"><text text-anchor="middle" x="104" y="-98" font-size="12.00">'
        b"2. second label</text></g></g></svg>"
    )
    assert legibility.measure(svg).overlaps == 1
    moved = untangle.untangle(svg)
    assert legibility.measure(moved).overlaps == 0
    assert b'x="100" y="-100"' in moved  # the first label stays where Graphviz put it


def test_fast_dot_text_is_pydots_own(checkout: tmdiag.Model) -> None:
    from tmdiag.diagram import draw, post
    from tmdiag.diagram.render import graph_attributes

    for style in ("dfd", "cloud"):
        drawn = draw.build(checkout, scene.whole(checkout), style)
        post.decorate(drawn.graph, checkout, scene.whole(checkout), style=style, link_prefix="", id_prefix="dfd-",
                      graph_attrs=graph_attributes(5, 4), legend=True)  # fmt: skip
        assert dottext.to_dot(drawn.graph) == drawn.graph.to_string()
    assert dottext.to_dot(pydot.Dot("g", graph_type="digraph")) == pydot.Dot("g", graph_type="digraph").to_string()


@pytest.mark.parametrize("size", [50, 300])
def test_split_pictures_are_byte_identical_across_hash_seeds(size: int) -> None:
    code = (
        "import sys, hashlib; sys.path.insert(0, 'bench'); import realistic, tmdiag\n"
        "from tmdiag.diagram import render\n"
        f"d = render(tmdiag.loads(realistic.realistic({size})), fmt='svg', warn=False)\n"
        "print(hashlib.sha256(d.data + b''.join(v for _, v in d.views)).hexdigest())\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_many_stubs_in_one_boundary_become_one_box() -> None:
    import generate

    model = tmdiag.loads(generate.to_tm(generate.system(200)))  # flows everywhere: 20+ neighbours per boundary
    diagram = render(model, fmt="svg", stem="dfd", warn=False)
    view = dict(diagram.views)["b1"].decode("utf-8").replace("&#45;", "-")
    assert 'id="dfd-b1-b2.group"' in view  # one box for b2's elements, linking to b2's view
    box = view[view.index('id="dfd-b1-b2.group"') :][:2000]
    assert 'xlink:href="dfd.b2.svg"' in box and "elements</text>" in box
    stubs = scene.boundary_view(model, "b1")
    assert all(len(members) > scene.GROUP_ABOVE for members in stubs.groups.values())
