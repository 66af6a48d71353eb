"""Building real MkDocs and Sphinx sites (copies of `sites/`) with the tmdiag plugin and extension."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"


@dataclass
class Built:
    returncode: int
    output: str  # stdout and stderr
    root: Path  # the site's copy


def copy_site(tmp: Path) -> Path:
    """The test sites, copied so a build writes nowhere in the repository."""
    target = tmp / "sites"
    shutil.copytree(SITES, target)
    return target


def mkdocs_build(site: Path, *extra: str) -> Built:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=site, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    return Built(done.returncode, done.stdout + done.stderr, site)


def sphinx_build(site: Path, *extra: str) -> Built:
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", *extra, ".", "_build"], cwd=site,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    return Built(done.returncode, done.stdout + done.stderr, site)
