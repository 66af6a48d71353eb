"""The MkDocs plugin `tmdiag`: data-flow diagrams in pages, drawn at build time.

    plugins:
      - tmdiag:
          fences: diagram        # ```tm fences: diagram (default), both (source, then diagram), source
          style: dfd             # or cloud
          threats: false         # true: colour open high/critical findings (runs pytm)
          link_prefix: null      # e.g. tm/report.html: elements link to the report (from the site root)

In a page:
    ```tm                                    a model written in the page: drawn in its place
    ![Checkout](../models/checkout.tm)       a model file, relative to the page
    ![Payments](../models/shop.tm#payments)  one view (or boundary) of it
    {{ tmdiag("../models/shop.tm", view="payments", style="cloud", threats=true) }}

A `.tm` error is a build warning naming the file and line (`mkdocs build --strict` fails on it);
`mkdocs serve` rebuilds when a model file (or anything it imports) changes. The site gets
`assets/tmdiag/tmdiag.js` and `tmdiag.css` (static files: linked views open, diagrams at full size).
List `tmdiag` before `macros` (mkdocs-macros) so `{{ tmdiag(…) }}` is read here first.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from tmdiag.docsites import ASSETS, Drawn, Options, draw_file, draw_text

log = get_plugin_logger(__name__)

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<path>[^)\s#]+\.tm)(?:#(?P<view>[A-Za-z0-9_-]+))?\)")
_VALUE = r"(?:\"[^\"\n]*\"|true|false)"
_CALL = re.compile(rf"\{{\{{\s*tmdiag\(\s*\"(?P<path>[^\"\n]+)\"(?P<args>(?:\s*,\s*\w+\s*=\s*{_VALUE})*)\s*\)\s*\}}\}}")
_LOOSE_CALL = re.compile(r"\{\{\s*tmdiag\s*\(")  # what is left of a call _CALL could not read
_ARG = re.compile(r"(\w+)\s*=\s*(?:\"([^\"\n]*)\"|(true|false))")
_MODES = ("diagram", "both", "source")
_PLACEHOLDER = "TMDIAGPLACEHOLDER{}X"
_CALL_ARGS = ("view", "style", "threats")
_ASSETS_URI = "assets/tmdiag"  # where the site gets tmdiag.js (opens linked views, full size) and tmdiag.css


class TmdiagConfig(base.Config):
    fences = c.Choice(_MODES, default="diagram")
    style = c.Choice(("dfd", "cloud"), default="dfd")
    threats = c.Type(bool, default=False)
    link_prefix = c.Optional(c.Type(str))
    today = c.Optional(c.Type(str))


class TmdiagPlugin(BasePlugin[TmdiagConfig]):
    """Replaces ```tm fences, `![…](x.tm)` images and `{{ tmdiag("x.tm") }}` with inline SVG."""

    def __init__(self) -> None:
        self.watched: set[Path] = set()
        self.pending: dict[str, list[str]] = {}  # page -> HTML of each placeholder, in order

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        source = Path(page.file.abs_src_path) if page.file.abs_src_path else Path(config["docs_dir"]) / "page.md"
        shown = os.path.relpath(source)
        self.pending[page.file.src_uri] = drawn = []
        options = Options(style=self.config.style, threats=self.config.threats, today=self.config.today,
                          link_prefix=self._link_prefix(page))  # fmt: skip

        def put(result: Drawn, where: str | None) -> str:
            for problem in result.problems:
                log.warning(f"{where}: {problem}" if where else problem)
            self.watched.update(result.files)
            drawn.append(result.html)
            return _PLACEHOLDER.format(len(drawn)) if result.html else ""

        def reference(line: str, number: int) -> str:
            if (".tm" not in line and "tmdiag" not in line) or "`" in line:  # inline code keeps its text
                return line
            where = f"{shown}:{number}"

            def image(match: re.Match[str]) -> str:
                chosen = replace(options, view=match.group("view"), alt=match.group("alt") or None)
                return put(draw_file(source.parent / match.group("path"), chosen, len(drawn) + 1), where)

            def call(match: re.Match[str]) -> str:
                given = {k: v if v else t == "true" for k, v, t in _ARG.findall(match.group("args") or "")}
                unknown = sorted(set(given) - set(_CALL_ARGS))
                if unknown:
                    log.warning(f"{where}: tmdiag: unknown argument `{unknown[0]}` (takes {', '.join(_CALL_ARGS)})")
                chosen = replace(options, **{k: v for k, v in given.items() if k in _CALL_ARGS})
                return put(draw_file(source.parent / match.group("path"), chosen, len(drawn) + 1), where)

            done = _CALL.sub(call, _IMAGE.sub(image, line))
            if _LOOSE_CALL.search(done):
                log.warning(f'{where}: tmdiag: cannot read this `{{{{ tmdiag(` reference, left as text '
                            f'(write {{{{ tmdiag("path.tm", view="…", style="…", threats=true) }}}})')  # fmt: skip
            return done

        out: list[str] = []
        lines = markdown.split("\n")
        index = 0
        while index < len(lines):
            opening = _FENCE_OPEN.match(lines[index])
            if opening is None:
                out.append(reference(lines[index], index + 1))
                index += 1
                continue
            end = _closing(lines, index, opening.group("fence"))
            words = opening.group("info").split()
            if words[:1] != ["tm"]:
                out.extend(lines[index : end + 1])
                index = end + 1
                continue
            mode = next((w for w in words[1:] if w in _MODES), self.config.fences)
            if mode in ("both", "source"):  # Python-Markdown's fences take one word: `tm`, for the lexer
                out.append(f"{opening.group('indent')}{opening.group('fence')}tm")
                out.extend(lines[index + 1 : end + 1])
            if mode in ("both", "diagram"):
                indent = opening.group("indent")
                text = "\n".join(line.removeprefix(indent) for line in lines[index + 1 : end]) + "\n"
                result = draw_text(text, shown, index + 2, options, len(drawn) + 1, root=source.parent)
                out.extend(["", indent + put(result, None), ""])
            index = end + 1
        return "\n".join(out)

    def _link_prefix(self, page: Any) -> str | None:
        prefix = self.config.link_prefix
        if not prefix or "://" in prefix or prefix.startswith("/"):
            return prefix
        return get_relative_url(prefix, page.url)  # a path in the site, from this page

    def on_config(self, config: Any, /) -> Any:
        for kind, name in ((config.extra_css, "tmdiag.css"), (config.extra_javascript, "tmdiag.js")):
            if f"{_ASSETS_URI}/{name}" not in (str(item) for item in kind):  # once, even when rebuilt
                kind.append(f"{_ASSETS_URI}/{name}")
        return config

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        for asset in ("tmdiag.css", "tmdiag.js"):
            files.append(File.generated(config, f"{_ASSETS_URI}/{asset}", abs_src_path=str(ASSETS / asset)))
        return files

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        drawn = self.pending.pop(page.file.src_uri, [])
        for number, piece in enumerate(drawn, 1):
            marker = _PLACEHOLDER.format(number)
            html = html.replace(f"<p>{marker}</p>", piece).replace(marker, piece)
        return html

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        for path in sorted(self.watched):
            server.watch(str(path), recursive=False)
        return server


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the fence opened at `start` (past the end when it is never closed)."""
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
            return index
    return len(lines)
