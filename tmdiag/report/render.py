"""Rendering the report in memory: Jinja2 templates in a sandbox, autoescaped, HTML and Markdown.

User templates (`--template DIR`) run in `jinja2.sandbox.SandboxedEnvironment`: no attribute
starting with `_`, no access to Python internals, so a template cannot reach `__globals__`,
`os.environ` or `__class__.__mro__`. The context holds only plain data (see docs/report.md).
A template reads only regular files whose real path is inside its folder (`_ConfinedLoader`: a
symbolic link to `/proc/self/environ` or to `/` is refused), `*`, `**`, widths and counts passed to
methods and filters (`center`, `ljust`, format widths) cannot build huge values, and a rendered file
larger than MAX_OUTPUT_BYTES stops the render.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, PrefixLoader, StrictUndefined, TemplateError, pass_context
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from tmdiag.diagnostics import TmdiagError
from tmdiag.inputs import read_bytes
from tmdiag.limits import MAX_TEMPLATE_BYTES, MIB
from tmdiag.memory import gc_paused
from tmdiag.model.text import for_output
from tmdiag.output import threats_json
from tmdiag.report.context import ReportInputs, build_context, view_file
from tmdiag.report.escape import html_finalize, html_join, md_escape, md_finalize, md_join, sanitize_svg
from tmdiag.report.values import RISKS

TEMPLATES = Path(__file__).resolve().parent / "templates"
HTML_TEMPLATE, MD_TEMPLATE, PAGE_TEMPLATE = "report.html.j2", "report.md.j2", "report-page.html.j2"
REPORT_FILES = ("report.html", "report.md", "dfd.svg", "threats.json")
_UNSAFE_ANCHOR = re.compile(r"[^A-Za-z0-9_.:-]")
# links to the report's own anchors inside an inline SVG (not its internal `#ctx-…`/`#dfd-…` ids)
_SVG_LINK = re.compile(r'href="#((?:el|flow|tb|threat|lib|data|member|agent|control|assumption|view)-[^"]*)"')
# printable ASCII only: a URL with a bidi control or a look-alike letter stays text, never a link
_URL = re.compile(r"https?://[!-~]+?(?=[.,;:]*(?:[^!-~]|[<>\"'`|)\]]|$))")


MAX_OUTPUT_BYTES = 1024 * MIB  # one rendered file (the default report of 3,000 elements: ~220 MB)
_MAX_BUILT = 1_000_000  # items or characters `*` may build in a template
_MAX_BITS = 64 * 1024  # size of a number `*` and `**` may build; `**` exponents also stay below 100


class ReportError(TmdiagError):
    """A report could not be rendered (e.g. a broken or forbidden user template)."""


class _ConfinedLoader(BaseLoader):
    """Templates from one folder, read only when their real path stays inside it (a symbolic link may
    point elsewhere in the folder, never out of it) and they are regular files of a sane size."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        path = self.folder.joinpath(*split_template_path(template))  # refuses `..`
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as error:  # missing, or a loop of links
            raise TemplateNotFound(template) from error
        if not real.is_relative_to(self.folder):
            raise ReportError(f"template `{template}` is a link to {real}, outside the template folder {self.folder}")
        try:
            source = read_bytes(real, MAX_TEMPLATE_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise ReportError(f"cannot read template `{template}` ({real}): {reason}") from error
        mtime = real.stat().st_mtime
        return source, str(real), lambda: real.exists() and real.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file())


def _loader(template_dir: Path | None) -> ChoiceLoader:
    default = _ConfinedLoader(TEMPLATES)
    chain: list[Any] = [_ConfinedLoader(template_dir)] if template_dir else []
    # `{% extends "default/report.html.j2" %}` lets a user template override single blocks.
    return ChoiceLoader([*chain, default, PrefixLoader({"default": default})])


def _linkify(text: str) -> Markup:
    """Plain text with http(s) URLs as links; everything else escaped."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(for_output(text[last : match.start()])))
        url = match.group(0)
        out.append(Markup('<a href="{0}" rel="noreferrer noopener">{0}</a>').format(url))
        last = match.end()
    out.append(escape(for_output(text[last:])))
    return Markup("").join(out)


def _anchor(value: object) -> Markup:
    """A fragment id: model ids are already safe (`[A-Za-z0-9_-]`); anything else becomes `-`."""
    return Markup(_UNSAFE_ANCHOR.sub("-", str(value)))


@pass_context
def _href(context: Context, anchor: object) -> Markup:
    """The link to an anchor from the page being rendered: `#anchor` on the same page, else
    `file#anchor` (a big report's pages: tmdiag.report.pages; anything not moved is in report.html)."""
    target = _UNSAFE_ANCHOR.sub("-", str(anchor))  # as `anchor` does; called ~200,000 times at 1,000 elements
    file = (context.get("locations") or {}).get(target, "report.html")
    return Markup(f"#{target}" if file == (context.get("page_file") or "report.html") else f"{file}#{target}")


@pass_context
def _relink(context: Context, svg: object) -> Markup:
    """An inline SVG (already safe) whose links to report anchors go through `href`."""
    text = str(svg)
    if not context.get("locations") and not context.get("page_file"):
        return Markup(text)
    return Markup(_SVG_LINK.sub(lambda m: f'href="{_href(context, m.group(1))}"', text))


def _csp_hash(script: object) -> str:
    """Base64 SHA-256 of an inline script, for the Content-Security-Policy `script-src`."""
    return base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii")


def _risk_rank(level: str) -> int:
    return RISKS.index(level) if level in RISKS else len(RISKS)


class ReportEnvironment(SandboxedEnvironment):
    """The sandbox, with `x.key` on the context's plain dicts looked up as a key first (no
    AttributeError round trip per access). Every other access goes through the sandbox's checks;
    `*` and `**` are bounded (`{{ "x" * 10**10 }}` would fill memory, `{{ 9**9**9 }}` take hours)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)):
            bits = left.bit_length() if isinstance(left, int) else 64
            if abs(right) >= 100 or bits * abs(right) > _MAX_BITS:
                raise SecurityError("`**` would build a number too large for a template")
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > _MAX_BITS:
                raise SecurityError("`*` would build a number too large for a template")
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > _MAX_BUILT:
                    raise SecurityError(f"`*` would build {len(seq) * times:,} items in a template")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Method calls: a width or count argument cannot build a huge string (`'x'.ljust(10**9)`),
        nor can a format width (`'{:>999999999}'.format(1)`)."""
        _check_sizes(args, kwargs)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        text = getattr(method, "__self__", None)
        if getattr(method, "__name__", "") in ("format", "format_map") and isinstance(text, str):
            _check_format(text)
        return super().call(__context, __obj, *args, **kwargs)


_FORMAT_WIDTH = re.compile(r"\d{7,}")  # a width or precision of a million or more in a format string


def _check_sizes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_BUILT:
            raise SecurityError(f"a template may not pass {value:,} to a function (at most {_MAX_BUILT:,})")


def _check_format(text: str) -> None:
    if _FORMAT_WIDTH.search(text):
        raise SecurityError("a format width or precision over a million characters in a template")


def _bounded(name: str, function: Any) -> Any:
    """A built-in filter whose numeric arguments (widths, lengths) are bounded like method calls."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_sizes(args[1:], kwargs)  # the first argument is the value filtered
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        return function(*args, **kwargs)

    return bounded


_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice")


@functools.lru_cache(maxsize=8)
def environment(kind: str, template_dir: Path | None = None) -> ReportEnvironment:
    """The sandboxed environment for `html` or `md` templates; autoescape is on for both."""
    options: dict[str, Any] = {
        "loader": _loader(template_dir), "autoescape": True, "undefined": StrictUndefined,
        "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True,
    }  # fmt: skip
    options["finalize"] = md_finalize if kind == "md" else html_finalize
    env = ReportEnvironment(**options)
    for name in _SIZED_FILTERS:
        env.filters[name] = _bounded(name, env.filters[name])
    env.filters["join"] = md_join if kind == "md" else html_join
    env.filters["md"] = md_escape
    env.filters["linkify"] = _linkify
    env.filters["risk_rank"] = _risk_rank
    env.filters["anchor"] = _anchor
    env.filters["csp_hash"] = _csp_hash
    env.filters["href"] = _href
    env.filters["relink"] = _relink
    env.globals["risk_levels"] = RISKS
    return env


def render_report(inputs: ReportInputs, template_dir: Path | None = None) -> dict[str, bytes]:
    """All report files, rendered in memory: {name: bytes}. Raises ReportError."""
    with gc_paused():
        return _render(inputs, template_dir)


def _encode(pieces: Iterator[str], batch: int = 8192) -> bytes:
    """UTF-8 bytes of a streamed render, joined in batches: peak memory stays near the output size
    instead of one Python string object per piece."""
    out = io.BytesIO()
    pending: list[str] = []
    for piece in pieces:
        pending.append(piece)
        if len(pending) >= batch:
            out.write("".join(pending).encode("utf-8"))
            pending.clear()
            if out.tell() > MAX_OUTPUT_BYTES:
                size = MAX_OUTPUT_BYTES // MIB
                raise ReportError(f"a rendered file grew larger than {size} MiB; is a template looping?")
    out.write("".join(pending).encode("utf-8"))
    return out.getvalue()


def _render(inputs: ReportInputs, template_dir: Path | None) -> dict[str, bytes]:
    svg = Markup(sanitize_svg(inputs.diagram_svg)) if inputs.diagram_svg else ""
    # one page holds the overview and every view: each view's ids get their own prefix
    views = [(bid, Markup(sanitize_svg(data, id_prefix=f"dfd-view-{bid}-"))) for bid, data in inputs.diagram_views]
    # Mermaid text holds no backtick (labels are entity-coded), so it cannot end its fence in report.md
    charts = [(bid, Markup(text)) for bid, text in inputs.diagram_mermaid_views]
    chart = Markup(inputs.diagram_mermaid) if inputs.diagram_mermaid else ""
    declared = [(vid, Markup(sanitize_svg(data, id_prefix=f"dfd-{vid}-")) if data else "", Markup(text))
                for vid, data, text in inputs.model_views]  # fmt: skip
    # context pictures are drawn by tmdiag itself with every text escaped (tmdiag.diagram.context)
    pictures = {k: Markup(v) for k, v in inputs.element_pictures.items()}
    context = build_context(replace(inputs, diagram_svg=svg, diagram_views=views, diagram_mermaid=chart,
                                    diagram_mermaid_views=charts, model_views=declared,
                                    element_pictures=pictures))  # fmt: skip
    files: dict[str, bytes] = {}
    try:
        for name, kind, template in (("report.html", "html", HTML_TEMPLATE), ("report.md", "md", MD_TEMPLATE)):
            env = environment(kind, template_dir)
            files[name] = _encode(env.get_template(template).generate(context))
        env = environment("html", template_dir)
        for kind in ("threats", "elements", "flows", "plan", "lint", "views"):
            for page in context["pages"][kind]:
                page_context = {**context, "page": page, "page_file": page["file"]}
                files[page["file"]] = _encode(env.get_template(PAGE_TEMPLATE).generate(page_context))
    except TemplateError as error:
        where = f"{error.filename}:{error.lineno}: " if getattr(error, "lineno", None) else ""  # type: ignore[attr-defined]
        raise ReportError(f"template {where}{type(error).__name__}: {error.message or error}") from error
    except OverflowError as error:  # the sandbox's bound on range(): the template's doing, not a bug
        raise ReportError(f"template SecurityError: {error}") from error
    moved = context["locations"]
    standalone = _standalone(inputs.diagram_svg, moved) if inputs.diagram_svg else ""
    files["dfd.svg"] = (standalone or _EMPTY_SVG).encode("utf-8")
    for bid, data in inputs.diagram_views:
        files[view_file(bid)] = _standalone(data, moved).encode("utf-8")
    for vid, data, _ in inputs.model_views:
        if data:
            files[f"view-{vid}.svg"] = _standalone(data, moved).encode("utf-8")
    document = threats_json.render(inputs.model, inputs.today, inputs.findings, excluded=inputs.excluded,
                                   diagnostics=inputs.analysis_diagnostics)  # fmt: skip
    files["threats.json"] = document.encode("utf-8")
    return files


_STANDALONE_LINK = re.compile(r'href="report\.html#([^"]+)"')


def _standalone(svg: str, moved: dict[str, str]) -> str:
    """A diagram as its own file: links open report.html, or the page a big report moved the target to."""
    text = sanitize_svg(svg, link_prefix="report.html")
    if not moved:
        return text
    return _STANDALONE_LINK.sub(lambda m: f'href="{moved.get(m.group(1), "report.html")}#{m.group(1)}"', text)


_EMPTY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40" viewBox="0 0 320 40">'
    '<text x="10" y="25" font-family="sans-serif" font-size="14">No diagram was drawn.</text></svg>\n'
)
