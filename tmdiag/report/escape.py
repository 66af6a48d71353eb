"""Escaping: HTML that renders model text as the same text, and SVG safe to inline.

Model labels are user input. Every piece of it goes through `tmdiag.model.text.for_output` first
(characters no output can carry become U+FFFD, bidi overrides and isolates are dropped, and text
with right-to-left letters is isolated for direction, FSI … PDI); Jinja's autoescape then turns it
into text. Markdown escaping lives in `tmdiag.output.markdown` (report.md, GitHub issues, hovers).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

from tmdiag.model.text import for_output, xml_safe
from tmdiag.output.markdown import md_escape as md_escape


def html_finalize(value: object) -> object:
    """Jinja `finalize` for HTML templates: model text made safe for output (autoescape follows)."""
    if type(value) is str and value.isascii() and value.isprintable():  # most text: nothing to do
        return value
    return for_output(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def html_join(items: object, separator: str = ", ") -> Markup:
    """Jinja's `join` for HTML templates: each item made safe and escaped on its own (and isolated
    for direction on its own, so one item cannot reorder the next)."""
    glue = separator if isinstance(separator, Markup) else escape(separator)
    return Markup(glue).join(
        item if isinstance(item, Markup) else escape(for_output(str(item)))
        for item in items  # type: ignore[attr-defined]
    )


def md_join(items: object, separator: str = ", ") -> Markup:
    """Jinja's `join` for Markdown templates: each item escaped as Markdown."""
    return Markup(separator).join(  # the separator is the template's own text, not the model's
        md_escape(item)
        for item in items  # type: ignore[attr-defined]
    )


def md_finalize(value: object) -> object:
    """Jinja `finalize` for Markdown templates: every `{{ expression }}` is escaped unless Markup."""
    return value if isinstance(value, Markup) else md_escape(value)


# ---- SVG ---------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "animate", "set"}
_HREF_KEYS = ("href", f"{{{XLINK_NS}}}href")
_ID_PREFIX = "dfd-"
_URL_REF = re.compile(r"url\(#([^)]+)\)")


class UnsafeSvg(ValueError):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _prefixed(ref: str, prefix: str) -> str:
    return ref if ref.startswith(prefix) else prefix + ref


def sanitize_svg(data: bytes | str, link_prefix: str = "", id_prefix: str = _ID_PREFIX) -> str:
    """An SVG document without anything active, to inline in HTML or to write beside it.

    Drops scripts, event handlers and any reference that would load something (only in-page
    `#fragment` links and `data:image/...` pictures stay). SVG ids get a `dfd-` prefix so they
    never collide with the report's own anchors (`#el-web` must open the section, not the node).
    `link_prefix` goes before in-page links (`report.html` for the standalone dfd.svg); `id_prefix`
    replaces `dfd-` when several SVGs share one page (per-boundary views), so their ids stay unique.
    Parsing and writing are linear; the output is the same for the same input. Characters XML 1.0
    cannot hold (a control character Graphviz copied from a label) become U+FFFD first.
    """
    try:
        root = ET.fromstring(xml_safe(data.decode("utf-8", "replace") if isinstance(data, bytes) else data))
    except ET.ParseError as error:
        raise UnsafeSvg(f"diagram is not well-formed SVG: {error}") from error
    if _local(root.tag) != "svg":
        raise UnsafeSvg("diagram is not an SVG document")
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) in _FORBIDDEN:
                parent.remove(child)
    for node in root.iter():
        for key in list(node.attrib):
            name = _local(key).lower()
            value = node.attrib[key]
            if name.startswith("on"):
                del node.attrib[key]
            elif key in _HREF_KEYS:
                if _local(node.tag) == "image" and value.startswith("data:image/"):
                    continue
                if value.startswith("#") and _local(node.tag) == "a":
                    node.attrib[key] = link_prefix + value
                    continue
                if value.startswith("#") and _local(node.tag) == "use":
                    node.attrib[key] = "#" + _prefixed(value[1:], id_prefix)
                    continue
                del node.attrib[key]
            elif name == "id":
                node.attrib[key] = _prefixed(value, id_prefix)
            elif "url(" in value:
                if re.search(r"url\((?!#)", value):
                    del node.attrib[key]
                else:
                    node.attrib[key] = _URL_REF.sub(lambda m: f"url(#{_prefixed(m.group(1), id_prefix)})", value)
            elif name == "style" and ("expression(" in value.lower() or "@import" in value.lower()):
                del node.attrib[key]
    return ET.tostring(root, encoding="unicode")
