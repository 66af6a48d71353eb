"""The Python API: load a model, check it. Front ends call `tmdiag.pipeline`, which these wrap.

model = tmdiag.load("model.tm")                  # raises TmError carrying every error
model, diagnostics = tmdiag.check_file("model.tm")  # what `tmdiag check` reports, lint included
"""

from __future__ import annotations

from pathlib import Path

import tmdiag.pipeline as pipeline
from tmdiag.diagnostics import Diagnostic
from tmdiag.model.nodes import Model


def check_file(path: str | Path, *, lint: bool = True) -> tuple[Model | None, list[Diagnostic]]:
    """Load, validate and (unless `lint` is False) lint a file with the configuration nearest it,
    as `tmdiag check` does. The model is None when the file could not be read."""
    loaded = pipeline.load(path)
    return loaded.model, list(pipeline.check(loaded, lint=lint))


def check_text(text: str, path: str = "<string>", *, lint: bool = True) -> tuple[Model, list[Diagnostic]]:
    """`check_file` for text; imports resolve against the current folder."""
    loaded = pipeline.load_text(text, path)
    assert loaded.model is not None  # text is always read
    return loaded.model, list(pipeline.check(loaded, lint=lint))


def load(path: str | Path) -> Model:
    """Load a `.tm` file (and its imports) into a typed, frozen model. Raises TmError on errors."""
    return pipeline.load(path).require()


def loads(text: str, path: str = "<string>") -> Model:
    """Load a model from text. Raises TmError on errors."""
    return pipeline.load_text(text, path).require()
