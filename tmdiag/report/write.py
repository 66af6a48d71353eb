"""Writing a rendered report into a folder: every file or none (tmdiag.output.files).

Nothing is written until every file has been rendered (the caller renders in memory), and a
failure while writing leaves the earlier report untouched. Other files in the folder stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tmdiag.output.files import write_all_atomic


def write_report(out_dir: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write `files` ({name: bytes}) into `out_dir`; returns the paths written."""
    target = Path(out_dir)
    return write_all_atomic({target / name: data for name, data in files.items()})
