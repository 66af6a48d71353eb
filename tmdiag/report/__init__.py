"""The linked report: a template context from the model and analysis results, Jinja2 templates
(shipped in `templates/`, or the user's own in a sandbox), and an atomic writer.

    files = render_report(ReportInputs(model, findings=..., lint_diagnostics=..., diagram_svg=...))
    write_report("out", files)   # report.html, report.md, dfd.svg, threats.json
"""

from tmdiag.report.context import ReportInputs, build_context
from tmdiag.report.render import REPORT_FILES, ReportError, render_report
from tmdiag.report.write import write_report

__all__ = [
    "REPORT_FILES",
    "ReportError",
    "ReportInputs",
    "build_context",
    "render_report",
    "write_report",
]
