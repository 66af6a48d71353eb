"""tmdiag: threat modeling as code for cloud systems.

    model = tmdiag.load("model.tm")                   # raises TmError carrying every error
    model, diagnostics = tmdiag.check_file("model.tm")

The rest of the library: `tmdiag.pipeline` (load → analyze → report), `tmdiag.results`
(findings), `tmdiag.lint`, `tmdiag.threats`; docs/api.md.
"""

from __future__ import annotations

from tmdiag.version import __version__

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `import tmdiag` need not import typing

if TYPE_CHECKING:
    from tmdiag.api import check_file, check_text, load, loads
    from tmdiag.diagnostics import Diagnostic, Severity, Span, TmdiagError, TmError
    from tmdiag.model.nodes import Model

__all__ = [
    "Diagnostic", "Model", "Severity", "Span", "TmError", "TmdiagError", "__version__", "check_file", "check_text",
    "load", "loads",
]  # fmt: skip

# Imported when first used (PEP 562): `import tmdiag.cli` (the command) stays cheap.
_LAZY = {
    "check_file": "tmdiag.api", "check_text": "tmdiag.api", "load": "tmdiag.api", "loads": "tmdiag.api",
    "Diagnostic": "tmdiag.diagnostics", "Severity": "tmdiag.diagnostics", "Span": "tmdiag.diagnostics",
    "TmdiagError": "tmdiag.diagnostics", "TmError": "tmdiag.diagnostics", "Model": "tmdiag.model.nodes",
}  # fmt: skip


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tmdiag' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
