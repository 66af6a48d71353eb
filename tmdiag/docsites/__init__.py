"""Diagrams inside documentation sites: what the MkDocs plugin and the Sphinx extension share.

    drawn = draw_file(Path("models/shop.tm"), Options(view="payments"), number=1)
    drawn = draw_text(text, "docs/arch.md", first_line=14, options=Options(), number=2)
    drawn.html       # <figure class="tmdiag"> with inline, self-contained SVG (views in <details>)
    drawn.problems   # `.tm` diagnostics as "path:line:col: error[CODE]: message", for build warnings
    drawn.files      # the model files read (entry and imports), for rebuilds on change

Models load through `tmdiag.pipeline`; pytm is imported only when `threats` is asked for.
Nothing here touches the network; the same input gives the same HTML byte for byte.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.model.nodes import Model

STYLES = ("dfd", "cloud")
_ELEMENT_LINK = re.compile(r'(<a\b[^>]*?) xlink:href="#((?:el|flow|tb)-[^"]*)"')
_VIEW_LINK = re.compile(r'xlink:href="#view-([^"]*)"')
_SVG_OPEN = re.compile(r"<svg\b")
_ANCHOR = re.compile(r"<a\b([^>]*)>|</a>")
_TITLE = re.compile(r'xlink:title="([^"]*)"')
ASSETS = Path(__file__).parent / "static"  # tmdiag.js and tmdiag.css, which pages with diagrams load


@dataclass(frozen=True)
class Options:
    view: str | None = None  # a declared view, or a boundary id
    style: str = "dfd"
    threats: bool = False  # run the threat analysis (imports pytm) and colour open high/critical
    link_prefix: str | None = None  # where element links go (e.g. `../tm/report.html`); None: no links
    today: str | None = None  # ISO date for risk decisions with `threats`
    alt: str | None = None  # the reader's words for the picture (an image's alt text): caption and label


@dataclass
class Drawn:
    html: str = ""
    problems: list[str] = field(default_factory=list)  # warnings, each `path:line:col: …`
    files: list[Path] = field(default_factory=list)


def _where(d: Diagnostic, path: str | None = None, offset: int = 0) -> str:
    span = d.span
    return f"{path or span.path}:{span.line + offset}:{span.column}: {d.severity.label}[{d.code}]: {d.message}" + (
        f" ({d.hint})" if d.hint else ""
    )


def draw_file(path: Path, options: Options, number: int) -> Drawn:
    """A model file as an inline diagram. A missing or broken file gives problems, not an exception."""
    from tmdiag import pipeline

    if not path.is_file():
        return Drawn(problems=[f"{path}: tmdiag: no such model file"])
    loaded = pipeline.load(path)
    files = [path.resolve(), *(Path(i.resolved) for i in (loaded.model.imports if loaded.model else ()) if i.resolved)]
    errors = [d for d in loaded.diagnostics if d.severity >= Severity.ERROR]
    if loaded.model is None or errors:
        return Drawn(problems=[_where(d) for d in errors] or [f"{path}: tmdiag: cannot read the model"], files=files)
    drawn = _draw(loaded.model, options, number)
    drawn.files = files
    return drawn


def draw_text(text: str, page: str, first_line: int, options: Options, number: int, root: Path | None = None) -> Drawn:
    """A model written inside a page (a fence or directive body starting at `first_line` of `page`);
    diagnostics name the page and its line. Imports resolve against `root` (the page's folder)."""
    from tmdiag import pipeline

    loaded = pipeline.load_text(text, path=page, root=root)
    errors = [d for d in loaded.diagnostics if d.severity >= Severity.ERROR]
    if errors:
        return Drawn(problems=[_where(d, page if d.span.path == page else None,
                                      first_line - 1 if d.span.path == page else 0) for d in errors])  # fmt: skip
    return _draw(loaded.require(), options, number)


def _draw(model: Model, options: Options, number: int) -> Drawn:
    from tmdiag.diagram import DiagramError, render
    from tmdiag.report.escape import sanitize_svg

    if options.style not in STYLES:
        return Drawn(problems=[f"tmdiag: unknown style `{options.style}` (choose from {', '.join(STYLES)})"])
    findings = None
    if options.threats:
        import datetime

        from tmdiag import pipeline

        day = datetime.date.fromisoformat(options.today) if options.today else None
        findings = pipeline.analyze(model, today=day, lint=False).findings
    boundary = view = None
    if options.view is not None:
        if model.view(options.view) is not None:
            view = options.view
        elif model.boundary(options.view) is not None:
            boundary = options.view
        else:
            known = ", ".join([*(v.id for v in model.views), *(b.id for b in model.boundaries)]) or "none"
            return Drawn(problems=[f"{model.path}: tmdiag: no view or boundary `{options.view}` (there are: {known})"])
    try:
        diagram = render(model, fmt="svg", style=options.style, findings=findings, boundary=boundary, view=view,
                         view_names="#view-{id}", warn=False)  # fmt: skip
    except DiagramError as problem:
        return Drawn(problems=[f"{model.path}: tmdiag: {problem}"])
    prefix = f"tmdiag-{number}-"
    name = options.alt or model.name
    parts = [f'<figure class="tmdiag" id="{prefix}diagram">']
    for bid, data in [("", diagram.data), *diagram.views]:
        svg = sanitize_svg(data, id_prefix=f"{prefix}{bid + '-' if bid else ''}")
        boundary_node = model.boundary(bid) if bid else None
        title = boundary_node.title if boundary_node is not None else bid
        svg = _links(svg, prefix, options.link_prefix, f"{name}: {title}" if bid else name)
        if not bid:
            parts.append(f'<div class="tmdiag-picture">{svg}</div>')
            if options.alt and options.alt != model.name:  # the SVG shows the model's name already
                parts.append(f"<figcaption>{html.escape(options.alt)}</figcaption>")
            continue
        # the id sits inside the <details>: following a link to it opens the section (browsers do,
        # and tmdiag.js does it everywhere); each view links back to the overview
        back = f'<p class="tmdiag-back"><a href="#{prefix}diagram">↑ Overview</a></p>'
        parts.append(f'<details class="tmdiag-view"><summary>{html.escape(title)}</summary>'
                     f'<div id="{prefix}view-{html.escape(bid)}"><div class="tmdiag-picture">{svg}</div>'
                     f"{back}</div></details>")  # fmt: skip
    parts.append("</figure>")
    return Drawn(html="\n".join(parts) + "\n")


def _links(svg: str, prefix: str, link_prefix: str | None, label: str) -> str:
    """Element, flow and boundary links go to `link_prefix` (a report) or nowhere (then no link is
    drawn: a tooltip group, so themes do not underline every label); view links stay on the page,
    under this diagram's prefix. The SVG is labelled for screen readers and fits the column."""
    label = html.escape(label)
    svg = _SVG_OPEN.sub(f'<svg role="img" aria-label="{label}" style="max-width:100%;height:auto"', svg, count=1)
    svg = _VIEW_LINK.sub(lambda m: f'xlink:href="#{prefix}view-{m.group(1)}"', svg)
    if link_prefix is None:
        return _tooltips_only(_ELEMENT_LINK.sub(r"\1", svg))
    target = html.escape(link_prefix)
    return _tooltips_only(_ELEMENT_LINK.sub(lambda m: f'{m.group(1)} xlink:href="{target}#{m.group(2)}"', svg))


def _tooltips_only(svg: str) -> str:
    """Every `<a>` without a target becomes a `<g>` holding its tooltip as a `<title>` (Graphviz
    never nests links, so each `</a>` closes the latest `<a>`)."""
    closing: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return closing.pop() if closing else match.group(0)
        attrs = match.group(1)
        if attrs.rstrip().endswith("/"):
            return match.group(0)
        if "href=" in attrs:
            closing.append("</a>")
            return match.group(0)
        closing.append("</g>")
        title = _TITLE.search(attrs)
        return f"<g><title>{title.group(1)}</title>" if title else "<g>"

    return _ANCHOR.sub(swap, svg)
