"""tmdiag: threat modeling as code for cloud systems."""

from tmdiag.api import check_file, check_text, load, loads
from tmdiag.diagnostics import Diagnostic, Severity, Span, TmError
from tmdiag.model.nodes import Model

__version__ = "0.1.0"

__all__ = [
    "Diagnostic", "Model", "Severity", "Span", "TmError", "__version__", "check_file", "check_text", "load", "loads",
]  # fmt: skip
