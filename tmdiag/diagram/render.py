"""`render()`: a model (and optionally its findings) as an SVG, PNG, DOT or Mermaid diagram.

Legibility decides the drawing (docs/diagrams.md): a model is one picture (laid out with `dot`;
clusters need `dot` or `fdp`, and `sfdp` draws no boundary boxes) when that picture meets the
targets — text at least 8 px when fitted to a 1600 × 1000 screen, aspect within 1:3 … 3:1. Above
`SPLIT_AT` elements no realistic model's picture does, so those are split without trying: an
overview of the boundaries plus one view per boundary, and `notes` says so.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tmdiag.diagram import dottext, draw, engine, layout, mermaid, overview, post, untangle
from tmdiag.diagram.engine import DiagramError
from tmdiag.diagram.scene import Scene, attach_risk, boundary_view, declared_view, whole
from tmdiag.diagram.scene import view as boundary_scene
from tmdiag.model.nodes import Model
from tmdiag.results import Finding

FORMATS = ("svg", "png", "dot", "mermaid")
STYLES = ("dfd", "cloud")
SPLIT_AT = 60  # elements; above this one picture is never legible on a screen (measured: make bench)
TRY_SPLIT_ABOVE = 20  # elements; up to this one picture is drawn even when it misses the targets
RETRY_UP_TO = 200  # nodes + edges; a picture this small that misses the targets may be laid out the other way too
HOPELESS = 5.5  # pixels: a model whose one picture is estimated this small is split without trying it
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
    view: str | None = None,
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
    if fmt in ("svg", "png"):
        engine.executable("dot")  # fail early, before any work
    if view is not None:
        declared = model.view(view)
        if declared is None:
            known = ", ".join(v.id for v in model.views) or "none declared"
            hint = f"; `{view}` is a boundary: use --boundary {view}" if model.boundary(view) is not None else ""
            raise DiagramError(f"no view `{view}` in the model (views: {known}){hint}")
        scene = declared_view(model, declared)
        rated = findings if declared.get("risk", True) else None
        drawn = _one(model, scene, fmt, style, rated, link_prefix, id_prefix, timeout, scene.direction)
        return _note_elongated(drawn, view, scene.direction) if fmt == "svg" else drawn
    if boundary is not None:
        if model.boundary(boundary) is None:
            known = ", ".join(b.id for b in model.boundaries) or "none"
            raise DiagramError(f"no boundary `{boundary}` in the model (boundaries: {known})")
        return _one(model, boundary_scene(model, boundary), fmt, style, findings, link_prefix, id_prefix, timeout)
    args = (fmt, style, findings, link_prefix, id_prefix, timeout)
    hopeless = len(model.elements) > TRY_SPLIT_ABOVE and layout.choose(whole(model)).text < HOPELESS
    if len(model.elements) <= split_at and not (hopeless and fmt in ("svg", "png")):
        trial = "svg" if fmt == "png" else fmt  # legibility is measured on the SVG
        one = _one(model, whole(model), trial, *args[1:])
        tried = fmt in ("svg", "png") and len(model.elements) > TRY_SPLIT_ABOVE
        if not tried or _legible(one.data) or len({e.boundary for e in model.elements}) < 2:
            if fmt == "png":
                return Diagram(engine.layout(one.dot, "png", "dot", timeout), one.dot, one.notes)
            return one
        why = "its one picture would not fit a screen legibly"
    elif len(model.elements) <= split_at:
        why = "its one picture would not fit a screen legibly"
    else:
        why = f"one picture up to {split_at:,}"
    return _split(model, *args, why, view_names, stem, warn)


@dataclass
class _Job:
    """One picture on its way through Graphviz: its DOT (and the other direction's, for a retry)."""

    scene: Scene
    chosen: layout.Layout
    drawn: draw.Drawn
    dot: str
    notes: list[str]
    direction: str | None  # asked for: no retry in the other direction

    def other(self, svg: bytes) -> str | None:
        """The DOT laid out the other way, for a small picture that missed the targets when the other
        direction was estimated close, or when this one came out much worse than estimated."""
        size = len(self.scene.elements) + len(self.scene.edges)
        if self.direction is not None or size > RETRY_UP_TO or _legible(svg):
            return None
        text = _quality(svg)[1]
        if text < HOPELESS:  # far off: the other direction will not rescue it
            return None
        misjudged = text < 0.8 * self.chosen.text
        if not (self.chosen.uncertain or misjudged):
            return None
        graph = self.drawn.graph
        graph.set("rankdir", "TB" if self.chosen.rankdir == "LR" else "LR")
        flipped = dottext.to_dot(graph)
        graph.set("rankdir", self.chosen.rankdir)
        return flipped


def _prepare(model: Model, scene: Scene, style: str, findings: Sequence[Finding] | None, link_prefix: str,
             id_prefix: str, direction: str | None = None) -> _Job:  # fmt: skip
    if findings is not None:
        attach_risk(scene, model, findings)
    chosen = layout.choose(scene, direction)
    scene.wire, scene.numbers = chosen.wire, chosen.numbers
    drawn = draw.build(model, scene, style)
    attrs = graph_attributes(len(scene.elements), len(scene.edges))
    attrs.update(rankdir=chosen.rankdir, nodesep=str(chosen.nodesep), ranksep=str(chosen.ranksep))
    loose = len(scene.elements) + len(scene.edges) > LOOSE_AT
    dot = post.decorate(drawn.graph, model, scene, style=style, link_prefix=link_prefix, id_prefix=id_prefix,
                        graph_attrs=attrs, legend=findings is not None, loose=loose)  # fmt: skip
    return _Job(scene, chosen, drawn, dot, list(drawn.notes), direction)


def _lay_out(jobs: Sequence[_Job], fmt: str, timeout: float) -> list[bytes]:
    """Every job's picture: SVG laid out two at a time (the other direction retried for small
    pictures that miss the targets; a Graphviz failure retried without flow ranks), then made final."""
    svgs = engine.layout_many([job.dot for job in jobs], timeout)
    retry: dict[int, str] = {}
    for i, (job, svg) in enumerate(zip(jobs, svgs, strict=True)):
        other = job.other(svg) if isinstance(svg, bytes) else None
        if other:
            retry[i] = other
    for (i, dot), second in zip(retry.items(), engine.layout_many(list(retry.values()), timeout), strict=True):
        first = svgs[i]
        if isinstance(second, bytes) and isinstance(first, bytes) and _quality(second) > _quality(first):
            svgs[i], jobs[i].dot = second, dot
    out: list[bytes] = []
    for job, result in zip(jobs, svgs, strict=True):
        if isinstance(result, bytes):
            svg = result
        else:  # last resort: no rank constraints from flows, straight lines
            post.loosen(job.drawn.graph, all_edges=True)
            job.dot = dottext.to_dot(job.drawn.graph)
            svg = engine.layout(job.dot, "svg", "dot", timeout)
            job.notes.append(f"laid out without flow ranks after Graphviz failed ({result})")
        if fmt == "svg":
            out.append(engine.inline_images(untangle.untangle(svg), job.drawn.icon_paths))
        else:
            out.append(engine.layout(job.dot, fmt, "dot", timeout))
    return out


def _one(
    model: Model,
    scene: Scene,
    fmt: str,
    style: str,
    findings: Sequence[Finding] | None,
    link_prefix: str,
    id_prefix: str,
    timeout: float,
    direction: str | None = None,
) -> Diagram:
    if fmt == "mermaid":
        if findings is not None:
            attach_risk(scene, model, findings)
        text = mermaid.flowchart(model, scene, link=lambda anchor: f"{link_prefix}#{anchor}")
        return Diagram(text.encode("utf-8"), "", ())
    job = _prepare(model, scene, style, findings, link_prefix, id_prefix, direction)
    if fmt == "dot":
        return Diagram(job.dot.encode("utf-8"), job.dot, tuple(dict.fromkeys(job.notes)))
    (data,) = _lay_out([job], fmt, timeout)
    return Diagram(data, job.dot, tuple(dict.fromkeys(job.notes)))


_GRAPH_TITLE = re.compile(
    rb'(<g id="graph0" class="graph"[^>]*>\s*<title>[^<]*</title>\s*<polygon[^>]*/>\s*)'
    rb"(<text\b[^>]*>[^<]*</text>)"
)


def _title_link(svg: bytes, overview: str) -> bytes:
    """The picture's title as a link to the overview (`dfd.svg` beside `dfd.<boundary>.svg`)."""
    target = html.escape(overview).encode("utf-8")
    link = b'<a xlink:href="' + target + b'" xlink:title="back to the overview" target="_top">'
    return _GRAPH_TITLE.sub(lambda m: m.group(1) + link + m.group(2) + b"</a>", svg, count=1)


ELONGATED = 4.0  # a picture longer than this (either way) is hard to read on any screen


def _note_elongated(drawn: Diagram, view: str, direction: str | None) -> Diagram:
    """A view whose asked-for `direction:` gives a very long picture says so (it is still obeyed)."""
    size = _VIEWBOX.search(drawn.data)
    if direction is None or size is None:
        return drawn
    width, height = float(size.group(1)), float(size.group(2))
    ratio = max(width, height) / max(min(width, height), 1.0)
    if ratio <= ELONGATED:
        return drawn
    asked = {"LR": "right", "TB": "down"}.get(direction, direction)
    note = (f"view `{view}`: `direction: {asked}` gives a {ratio:.1f}:1 picture, hard to read on a screen; "
            "without it (`auto`) the layout picks the direction that fits")  # fmt: skip
    return replace(drawn, notes=(*drawn.notes, note))


def _quality(svg: bytes) -> tuple[bool, float]:
    """How legible a laid-out picture is: within the aspect targets, then its text size at fit."""
    size = _VIEWBOX.search(svg)
    if size is None:
        return (False, 0.0)
    width, height = float(size.group(1)), float(size.group(2))
    aspect = width / max(height, 1.0)
    return (1 / layout.MAX_ASPECT <= aspect <= layout.MAX_ASPECT, layout.fit(width, height) * layout.FONT)


def _legible(svg: bytes) -> bool:
    within, text = _quality(svg)
    return within and text >= layout.MIN_TEXT


def _split(
    model: Model,
    fmt: str,
    style: str,
    findings: Sequence[Finding] | None,
    link_prefix: str,
    id_prefix: str,
    timeout: float,
    why: str,
    view_names: str,
    stem: str,
    warn: bool,
) -> Diagram:
    note = (
        f"drawn as per-boundary views: model has {len(model.elements):,} elements "
        f"({why}); the overview shows boundaries and flows between them"
    )
    if warn:
        print(f"tmdiag: note: {note}", file=sys.stderr)
    holders = {e.boundary for e in model.elements}
    keys: list[tuple[str, str | None]] = [(b.id, b.id) for b in model.boundaries if b.id in holders]
    if None in holders:
        keys.append(("_top", None))
    suffix = "mmd" if fmt == "mermaid" else fmt
    names = {bid: view_names.format(stem=stem, id=bid, fmt=suffix) for bid, _ in keys}
    links = {boundary: names[bid] for bid, boundary in keys}
    scenes = [(bid, boundary_view(model, boundary, links)) for bid, boundary in keys]
    notes: list[str] = [note]
    if fmt == "mermaid":
        views = [
            (bid, _one(model, scene, fmt, style, findings, link_prefix, "", timeout).data) for bid, scene in scenes
        ]
        counts: dict[str | None, int] = {}
        for element in model.elements:
            counts[element.boundary] = counts.get(element.boundary, 0) + 1
        text = mermaid.overview(model, counts, overview.aggregate(model), names)
        return Diagram(text.encode("utf-8"), "", tuple(notes), tuple(views))
    jobs = [_prepare(model, scene, style, findings, link_prefix, f"{id_prefix}{bid}-") for bid, scene in scenes]
    ahead = _overview_dots(model, names, id_prefix, link_prefix)
    if fmt == "dot":
        views = [(bid, job.dot.encode("utf-8")) for (bid, _), job in zip(scenes, jobs, strict=True)]
        return Diagram(ahead[0].encode("utf-8"), ahead[0], tuple(notes), tuple(views))
    pictures = _lay_out(jobs, fmt, timeout)
    for job in jobs:
        notes.extend(n for n in job.notes if n not in notes)
    views = [(bid, data) for (bid, _), data in zip(scenes, pictures, strict=True)]
    if fmt == "svg" and view_names == "{stem}.{id}.{fmt}":  # files side by side: each view's title leads back
        views = [(bid, _title_link(data, f"{stem}.svg")) for bid, data in views]
    laid = [svg for svg in engine.layout_many(ahead, timeout) if isinstance(svg, bytes)]
    if not laid:
        raise DiagramError("Graphviz could not lay out the overview")
    best = max(range(len(laid)), key=lambda i: _quality(laid[i]))
    dot = ahead[best]
    data = untangle.untangle(laid[best]) if fmt == "svg" else engine.layout(dot, fmt, "dot", timeout)
    return Diagram(data, dot, tuple(notes), tuple(views))


_VIEWBOX = re.compile(rb'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def _overview_dots(model: Model, views: dict[str, str], id_prefix: str, link_prefix: str) -> list[str]:
    """The overview's DOT left to right and top to bottom (the one that fits a screen better wins)."""
    out = []
    for rankdir in ("LR", "TB"):
        graph = overview.build(model, views, id_prefix, link_prefix)
        attrs = graph_attributes(len(graph.get_nodes()), len(graph.get_edges()))
        attrs.update(rankdir=rankdir, nodesep="0.3", ranksep="0.5", label=post.quoted(f"{model.name}: overview"),
                     labelloc="t")  # fmt: skip
        for key, value in attrs.items():
            graph.set(key, value)
        out.append(dottext.to_dot(graph))
    return out
