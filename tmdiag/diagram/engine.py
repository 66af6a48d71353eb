"""Running Graphviz and making its SVG self-contained."""

from __future__ import annotations

import base64
import concurrent.futures
import functools
import html
import re
import shutil
import struct
import subprocess
from collections.abc import Iterable
from pathlib import Path

from tmdiag.diagnostics import TmdiagError

INSTALL_HINT = "install Graphviz: `apt-get install graphviz` (macOS: `brew install graphviz`)"


class DiagramError(TmdiagError):
    """A diagram could not be drawn; the message says why and what to do."""


class GraphvizMissing(DiagramError):
    def __init__(self, engine: str = "dot") -> None:
        super().__init__(
            f"Graphviz is not installed (no `{engine}` on PATH): {INSTALL_HINT}; `-o FILE.dot` works without it"
        )


def executable(engine: str) -> str:
    found = shutil.which(engine)
    if found is None:
        raise GraphvizMissing(engine)
    return found


def layout(source: str, fmt: str, engine: str, timeout: float) -> bytes:
    """Lay out DOT source with a Graphviz engine and return the rendered file."""
    command = [executable(engine), f"-T{fmt}"]
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise DiagramError(
            f"Graphviz `{engine}` took longer than {timeout:.0f} s; draw one boundary at a time with --boundary"
        ) from error
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiagramError(f"Graphviz `{engine}` failed (exit {done.returncode}): {' / '.join(detail[:3])}")
    return done.stdout


def layout_many(sources: list[str], timeout: float, workers: int = 2) -> list[bytes | DiagramError]:
    """SVG of many DOT graphs, in order, `workers` Graphviz processes at a time; a graph that fails
    gives its error. One process per graph: `dot` given several graphs at once lays later ones out
    differently from run to run (state left over from the graph before), which would break
    byte-identical output."""

    def one(source: str) -> bytes | DiagramError:
        try:
            return layout(source, "svg", "dot", timeout)
        except GraphvizMissing:
            raise
        except DiagramError as error:
            return error

    if len(sources) <= 1:
        return [one(source) for source in sources]
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, sources))


@functools.cache
def _symbol(path: str) -> tuple[str, bytes]:
    """(id, `<symbol>` element) holding one icon as a data URI, sized from its PNG header."""
    raw = Path(path).read_bytes()
    width, height = struct.unpack(">II", raw[16:24]) if raw[:8] == b"\x89PNG\r\n\x1a\n" else (256, 256)
    parts = Path(path).with_suffix("").parts[-3:]
    symbol_id = "tmdiag-icon-" + "-".join(re.sub(r"[^A-Za-z0-9_]", "_", p) for p in parts)
    uri = "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
    element = (
        f'<symbol id="{symbol_id}" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">'
        f'<image width="{width}" height="{height}" xlink:href="{uri}"/></symbol>'
    )
    return symbol_id, element.encode("ascii")


_IMAGE = re.compile(rb"<image\b([^>]*?)/>")
_ATTR = re.compile(rb'([\w:-]+)="([^"]*)"')
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def inline_images(svg: bytes, icon_paths: Iterable[str]) -> bytes:
    """Make the SVG self-contained: each icon once, as a data URI in a `<symbol>`, and every
    `<image>` Graphviz wrote with a file path becomes a `<use>` of it. Unknown paths are dropped."""
    known = {html.escape(p, quote=True).encode("utf-8"): p for p in icon_paths}
    used: dict[str, bytes] = {}

    def swap(match: re.Match[bytes]) -> bytes:
        attrs = dict(_ATTR.findall(match.group(1)))
        path = known.get(attrs.get(b"xlink:href", b""))
        if path is None:  # not one of ours: never leak a local path
            return b""
        symbol_id, element = _symbol(path)
        used[symbol_id] = element
        place = b" ".join(k + b'="' + attrs[k] + b'"' for k in (b"x", b"y", b"width", b"height") if k in attrs)
        return b'<use xlink:href="#' + symbol_id.encode("ascii") + b'" ' + place + b"/>"

    body = _IMAGE.sub(swap, svg)
    if not used:
        return body
    defs = b"\n<defs>" + b"".join(used[k] for k in sorted(used)) + b"</defs>"
    opening = _SVG_OPEN.search(body)
    if opening is None:
        return body
    return body[: opening.end()] + defs + body[opening.end() :]
