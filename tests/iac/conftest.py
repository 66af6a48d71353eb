from __future__ import annotations

from pathlib import Path

import pytest

from tests.iac.mutations import FIXTURES, THREE_TIER
from tmdiag import iac
from tmdiag.importers.terraform import draft

PLAN = FIXTURES / "three-tier-plan.json"


@pytest.fixture(scope="session")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model `tmdiag import terraform` drafts from the three-tier fixture, as a file."""
    path = tmp_path_factory.mktemp("draft") / "model.tm"
    path.write_text(draft(iac.read(THREE_TIER), "three-tier", "three-tier"), encoding="utf-8")
    return path
