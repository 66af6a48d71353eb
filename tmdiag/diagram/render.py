"""`render()`: a model (and optionally its findings) as an SVG, PNG or DOT diagram.

Size decides the drawing: up to `SPLIT_AT` elements one picture with `dot` (clusters need `dot`
or `fdp`; `sfdp` draws no boundary boxes); above that an overview of the boundaries plus one view
per boundary, and `notes` says so.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from tmdiag.diagram import draw, engine, post
from tmdiag.diagram.engine import DiagramError
from tmdiag.diagram.scene import Scene, attach_risk, top_level, view, whole
from tmdiag.model.nodes import Model
from tmdiag.results import Finding

FORMATS = ("svg", "png", "dot")
STYLES = ("dfd", "cloud")
SPLIT_AT = 600  # elements; above this a single picture takes minutes in dot 2.43 and is unreadable
TIMEOUT = 300.0  # seconds per Graphviz run


@dataclass(frozen=True)
class Diagram:
    data: bytes  # the rendered file (self-contained SVG: icons inlined as data URIs, no local paths)
    dot: str  # the final DOT source
    notes: tuple[str, ...]  # e.g. "drawn as per-boundary views: model has 3,000 elements"
    views: tuple[tuple[str, bytes], ...] = ()  # (boundary id, data) when a big model is split


LOOSE_AT = 400  # nodes + edges; above this only flows inside one boundary set ranks


def graph_attributes(nodes: int, edges: int) -> dict[str, str]:
    """Layout attributes by size. `newrank` avoids dot 2.43's "trouble in init_rank" crash on nested
    clusters; curved splines (not `ortho`, which drops edge labels and crashes) keep labels;
    big graphs bound the network-simplex and crossing-minimisation passes and use straight lines."""
    attrs = {"rankdir": "LR", "newrank": "true", "splines": "true", "compound": "true", "pad": "0.3",
             "nodesep": "0.35", "ranksep": "0.9", "fontname": "Sans-Serif", "fontsize": "13",
             "outputorder": "edgesfirst"}  # fmt: skip
    if nodes + edges > LOOSE_AT:
        attrs.update(nslimit="4", nslimit1="4", mclimit="0.5", remincross="false")
    if nodes + edges > 1200:
        attrs.update(splines="line", nslimit="2", nslimit1="2", mclimit="0.2", searchsize="10")
    return attrs


def render(
    model: Model,
    *,
    fmt: str = "svg",
    style: str = "dfd",
    findings: Sequence[Finding] | None = None,
    boundary: str | None = None,
    link_prefix: str = "",
    id_prefix: str = "dfd-",
    split_at: int = SPLIT_AT,
    timeout: float = TIMEOUT,
    view_names: str = "{stem}.{id}.{fmt}",
    stem: str = "diagram",
    warn: bool = True,  # print the per-boundary-views note on stderr too
) -> Diagram:
    """Draw the model. Raises DiagramError (GraphvizMissing when `dot` is needed and absent)."""
    if fmt not in FORMATS:
        raise DiagramError(f"unknown format `{fmt}` (choose from {', '.join(FORMATS)})")
    if style not in STYLES:
        raise DiagramError(f"unknown style `{style}` (choose from {', '.join(STYLES)})")
    if fmt != "dot":
        engine.executable("dot")  # fail early, before any work
    if boundary is not None:
        if model.boundary(boundary) is None:
            known = ", ".join(b.id for b in model.boundaries) or "none"
            raise DiagramError(f"no boundary `{boundary}` in the model (boundaries: {known})")
        return _one(model, view(model, boundary), fmt, style, findings, link_prefix, id_prefix, timeout)
    if len(model.elements) <= split_at:
        return _one(model, whole(model), fmt, style, findings, link_prefix, id_prefix, timeout)
    return _split(model, fmt, style, findings, link_prefix, id_prefix, timeout, split_at, view_names, stem, warn)


def _one(
    model: Model,
    scene: Scene,
    fmt: str,
    style: str,
    findings: Sequence[Finding] | None,
    link_prefix: str,
    id_prefix: str,
    timeout: float,
    extra_notes: Sequence[str] = (),
) -> Diagram:
    if findings is not None:
        attach_risk(scene, model, findings)
    drawn = draw.build(model, scene, style)
    attrs = graph_attributes(len(scene.elements), len(scene.edges))
    loose = len(scene.elements) + len(scene.edges) > LOOSE_AT
    dot = post.decorate(
        drawn.graph,
        model,
        scene,
        style=style,
        link_prefix=link_prefix,
        id_prefix=id_prefix,
        graph_attrs=attrs,
        legend=findings is not None,
        loose=loose,
    )
    notes = list(dict.fromkeys([*extra_notes, *drawn.notes]))
    if fmt == "dot":
        return Diagram(dot.encode("utf-8"), dot, tuple(notes))
    try:
        data = engine.layout(dot, fmt, "dot", timeout)
    except engine.GraphvizMissing:
        raise
    except DiagramError as error:  # last resort: no rank constraints from flows, straight lines
        post.loosen(drawn.graph, all_edges=True)
        dot = str(drawn.graph.to_string())
        data = engine.layout(dot, fmt, "dot", timeout)
        notes.append(f"laid out without flow ranks after Graphviz failed ({error})")
    if fmt == "svg":
        data = engine.inline_images(data, drawn.icon_paths)
    return Diagram(data, dot, tuple(notes))


def _split(
    model: Model,
    fmt: str,
    style: str,
    findings: Sequence[Finding] | None,
    link_prefix: str,
    id_prefix: str,
    timeout: float,
    split_at: int,
    view_names: str,
    stem: str,
    warn: bool,
) -> Diagram:
    note = (
        f"drawn as per-boundary views: model has {len(model.elements):,} elements "
        f"(one picture up to {split_at:,}); the overview shows boundaries and flows between them"
    )
    if warn:
        print(f"tmdiag: note: {note}", file=sys.stderr)
    scenes: list[tuple[str, Scene]] = [(b.id, view(model, b.id, deep=False)) for b in model.boundaries]
    if any(e.boundary is None for e in model.elements):
        scenes.append(("_top", top_level(model)))
    names = {bid: view_names.format(stem=stem, id=bid, fmt=fmt) for bid, _ in scenes}
    views: list[tuple[str, bytes]] = []
    notes: list[str] = [note]
    for bid, scene in scenes:
        if not scene.elements:
            continue
        drawn_view = _one(model, scene, fmt, style, findings, link_prefix, f"{id_prefix}{bid}-", timeout)
        views.append((bid, drawn_view.data))
        notes.extend(n for n in drawn_view.notes if n not in notes)
    shown = {bid for bid, _ in views}
    overview = draw.build_overview(model)
    attrs = graph_attributes(len(model.boundaries), len(draw.boundary_links(model)))
    dot = post.decorate_overview(
        overview.graph,
        model,
        link_prefix=link_prefix,
        id_prefix=id_prefix,
        graph_attrs=attrs,
        views={k: v for k, v in names.items() if k in shown},
    )
    data = dot.encode("utf-8") if fmt == "dot" else engine.layout(dot, fmt, "dot", timeout)
    return Diagram(data, dot, tuple(notes), tuple(views))
