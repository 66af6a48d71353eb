"""tmdiag: threat modeling as code for cloud systems.

    model = tmdiag.load("model.tm")                   # raises TmError carrying every error
    model, diagnostics = tmdiag.check_file("model.tm")

The rest of the library: `tmdiag.pipeline` (load → analyze → report), `tmdiag.results`
(findings), `tmdiag.lint`, `tmdiag.threats`; docs/api.md.
"""

from tmdiag.api import check_file, check_text, load, loads
from tmdiag.diagnostics import Diagnostic, Severity, Span, TmdiagError, TmError
from tmdiag.model.nodes import Model
from tmdiag.version import __version__

__all__ = [
    "Diagnostic", "Model", "Severity", "Span", "TmError", "TmdiagError", "__version__", "check_file", "check_text",
    "load", "loads",
]  # fmt: skip
