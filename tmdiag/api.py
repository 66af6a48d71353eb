"""The Python API: load a model, check it. Front ends (CLI, LSP) call these."""

from __future__ import annotations

from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Severity, TmError
from tmdiag.loader import load_path, load_text
from tmdiag.model.nodes import Model
from tmdiag.semantics.validate import validate

# These leave nothing worth validating. After other syntax errors the statements that parsed are
# validated; references to names written in the broken ones are not reported (model.unparsed_names).
_PARSE_ERRORS = frozenset({"E004", "E005"})


def _parsed(diagnostics: list[Diagnostic]) -> bool:
    return not any(d.code in _PARSE_ERRORS for d in diagnostics)


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    unique = list(dict.fromkeys(diagnostics))
    return sorted(unique, key=lambda d: d.sort_key)


def check_file(path: str | Path) -> tuple[Model | None, list[Diagnostic]]:
    """Load and validate a file. The model is None when the file could not be read."""
    model, diagnostics = load_path(path)
    if model is not None and _parsed(diagnostics):
        diagnostics = diagnostics + validate(model)
    return model, _sorted(diagnostics)


def check_text(text: str, path: str = "<string>") -> tuple[Model, list[Diagnostic]]:
    model, diagnostics = load_text(text, path)
    if _parsed(diagnostics):
        diagnostics = diagnostics + validate(model)
    return model, _sorted(diagnostics)


def _raise_on_errors(diagnostics: list[Diagnostic]) -> None:
    errors = [d for d in diagnostics if d.severity >= Severity.ERROR]
    if errors:
        raise TmError(errors)


def load(path: str | Path) -> Model:
    """Load a `.tm` file (and its imports) into a typed, frozen model. Raises TmError on errors."""
    model, diagnostics = check_file(path)
    _raise_on_errors(diagnostics)
    assert model is not None
    return model


def loads(text: str, path: str = "<string>") -> Model:
    """Load a model from text. Raises TmError on errors."""
    model, diagnostics = check_text(text, path)
    _raise_on_errors(diagnostics)
    return model
