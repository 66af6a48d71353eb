"""Golden files: compare output with a file kept beside the test; TMDIAG_UPDATE_GOLDEN=1 rewrites it."""

from __future__ import annotations

import os
from pathlib import Path

UPDATE = os.environ.get("TMDIAG_UPDATE_GOLDEN") == "1"


def assert_golden(actual: str, path: Path) -> None:
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            raise AssertionError(f"golden file {path} is missing (run with TMDIAG_UPDATE_GOLDEN=1)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path}; review and rerun with TMDIAG_UPDATE_GOLDEN=1"
