"""Data-flow diagrams through `diagrams` + Graphviz (the only package that imports `diagrams`).

from tmdiag.diagram import render
diagram = render(model, fmt="svg", style="dfd", findings=findings, link_prefix="report.html")
"""

from tmdiag.diagram.engine import INSTALL_HINT, DiagramError, GraphvizMissing
from tmdiag.diagram.render import FORMATS, STYLES, Diagram, render

__all__ = ["FORMATS", "INSTALL_HINT", "STYLES", "Diagram", "DiagramError", "GraphvizMissing", "render"]
