"""The Sphinx extension: `.. tmdiag:: path.tm` draws a model's data-flow diagram at build time.

    # conf.py
    extensions = ["tmdiag.docsites.sphinx"]
    tmdiag_link_prefix = None      # e.g. "tm/report.html": elements link to the report
    tmdiag_today = None            # ISO date for risk decisions with :threats:

    .. tmdiag:: ../models/shop.tm  (relative to the document; "/…" from the source folder)
       :view: payments             a declared view or a boundary
       :style: cloud               dfd (default) or cloud
       :threats:                   colour open high/critical findings (runs pytm)

    .. tmdiag::                    no argument: the model is the directive's content
       process a "A"

A `.tm` error is a build warning naming the file and line (`sphinx-build -W` fails on it); the
model file and everything it imports are dependencies of the document, so a change rebuilds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from tmdiag.docsites import ASSETS, STYLES, Drawn, Options, draw_file, draw_text
from tmdiag.version import __version__

log = logging.getLogger(__name__)


def _style(argument: str | None) -> str:
    return directives.choice(argument, STYLES)


class TmdiagDirective(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "view": directives.unchanged_required,
        "style": _style,
        "threats": directives.flag,
        "link-prefix": directives.unchanged,
        "alt": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        config = self.env.config
        options = Options(
            view=self.options.get("view"),
            style=self.options.get("style", "dfd"),
            threats="threats" in self.options,
            link_prefix=self.options.get("link-prefix", config.tmdiag_link_prefix),
            today=config.tmdiag_today,
            alt=self.options.get("alt"),
        )
        number = int(self.env.temp_data.get("tmdiag_count") or 0) + 1
        self.env.temp_data["tmdiag_count"] = number
        document = Path(self.env.doc2path(self.env.docname))
        if self.arguments:
            relative, absolute = self.env.relfn2path(self.arguments[0])
            self.env.note_dependency(relative)
            drawn = draw_file(Path(absolute), options, number)
        elif self.content:
            first = self.content_offset + 1  # the content's first line in the document
            drawn = draw_text("\n".join(self.content) + "\n", str(document), first, options, number,
                              root=document.parent)  # fmt: skip
        else:
            drawn = Drawn(problems=["tmdiag: give a .tm file or the model as the directive's content"])
        for path in drawn.files:
            self.env.note_dependency(str(path))
        for problem in drawn.problems:
            log.warning(problem, location=(self.env.docname, self.lineno), type="tmdiag")
        if not drawn.html:
            return []
        return [nodes.raw("", drawn.html, format="html")]


def _reset(app: Any, docname: str, source: list[str]) -> None:
    app.env.temp_data["tmdiag_count"] = 0


def _assets(app: Any) -> None:
    app.config.html_static_path.append(str(ASSETS))


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("tmdiag_link_prefix", None, "env")
    app.add_config_value("tmdiag_today", None, "env")
    app.add_directive("tmdiag", TmdiagDirective)
    app.connect("source-read", _reset)
    app.connect("builder-inited", _assets)  # tmdiag.js opens linked views and offers full size; CSS
    app.add_js_file("tmdiag.js")
    app.add_css_file("tmdiag.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
