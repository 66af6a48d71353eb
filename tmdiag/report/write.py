"""Writing a rendered report: stage every file in a temporary folder, then move each into place.

Nothing is written until every file has been rendered (the caller renders in memory), and a
failure while staging leaves the earlier report untouched. Other files in the folder stay.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_report(out_dir: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write `files` ({name: bytes}) into `out_dir`; returns the paths written."""
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmdiag-report-", dir=target))
    try:
        for name, data in files.items():
            staged = staging / name
            with open(staged, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        written = []
        for name in files:
            os.replace(staging / name, target / name)
            written.append(target / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
