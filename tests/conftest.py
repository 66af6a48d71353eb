import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _run_from_repo_root() -> None:
    os.chdir(ROOT)
