from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tmdiag.api import check_file, check_text
from tmdiag.model.nodes import Model

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
TODAY = datetime.date(2026, 11, 27)


def load_model(path: Path) -> Model:
    model, diagnostics = check_file(path, lint=False)
    errors = [d for d in diagnostics if d.code.startswith("E") and d.severity.label == "error"]
    assert model is not None and not errors, errors
    return model


def load_text(text: str) -> Model:
    model, diagnostics = check_text(text, lint=False)
    errors = [d for d in diagnostics if d.code.startswith("E") and d.severity.label == "error"]
    assert not errors, errors
    return model


@pytest.fixture
def today() -> datetime.date:
    return TODAY
