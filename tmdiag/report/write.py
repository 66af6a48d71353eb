"""Writing a rendered report into a folder: every file or none (tmdiag.output.files).

Nothing is written until every file has been rendered (the caller renders in memory), and a
failure while writing leaves the earlier report untouched. Other files in the folder stay; hidden
staging folders an older tmdiag left after being killed (`.tmdiag-report-*`) are removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tmdiag.output.files import WriteFailed, clean_stale_folders, write_all_atomic


def write_report(out_dir: str | Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write `files` ({name: bytes}) into `out_dir` (created when missing); returns the paths written.
    Raises WriteFailed naming the file that could not be written."""
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteFailed(target, error) from error
    clean_stale_folders(target, ".tmdiag-report-")
    return write_all_atomic({target / name: data for name, data in files.items()})
