"""Files shipped with tmdiag: the grammar and the standard modules.

In a wheel they live in `tmdiag/_data/`; in a source checkout (editable install) they are read
from the repository's top-level `grammar/` and `dsl/` folders, the single sources of truth.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def data_path(relative: str) -> Path:
    """Path of a shipped file, e.g. `grammar/tm.lark` or `dsl/std/aws.tm`."""
    packaged = _PACKAGE / "_data" / relative
    return packaged if packaged.exists() else _REPO / relative


def std_root() -> Path:
    """The folder `import "std/..."` resolves in."""
    return data_path("dsl/std")
