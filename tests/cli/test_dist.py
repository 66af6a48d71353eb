"""`make dist`: the sdist and wheel build, pass `twine check`, and the wheel installed on its own (not the
checkout) runs: its grammar and standard modules are inside it, its entry points are registered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    built = sorted(p.name for p in dist.iterdir())
    assert len(built) == 2 and built[0].endswith("-py3-none-any.whl") and built[1].endswith(".tar.gz")
    twine = shutil.which("twine", path=str(Path(sys.executable).parent))
    assert twine is not None
    result = subprocess.run([twine, "check", "--strict", *map(str, dist.iterdir())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_wheel_ships_the_grammar_and_std_modules_and_no_dev_tools(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"tmdiag/_data/grammar/tm.lark", "tmdiag/_data/dsl/std/aws.tm", "tmdiag/py.typed"} <= names
    assert not [n for n in names if n.startswith(("devtools/", "tests/", "bench/", "editors/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "tmdiag = tmdiag.cli:entry" in text and "tm = tmdiag.editors.pygments_lexer:TmLexer" in text


def test_the_installed_wheel_checks_a_model_outside_the_checkout(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    model = tmp_path / "work" / "shop.tm"
    model.parent.mkdir()
    model.write_text('import "std/aws.tm"\nprocess web "Web"\nweb -> web\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", "import sys, tmdiag.cli; print(tmdiag.__file__); sys.exit(tmdiag.cli.entry())",
         "check", "--format", "json", str(model)],
        capture_output=True, text=True, cwd=model.parent, env=env, timeout=60,
    )  # fmt: skip
    assert result.stdout.splitlines()[0].startswith(str(target)), "ran the checkout, not the wheel"
    assert '"TM206"' in result.stdout  # the self-flow: lint ran, the std module resolved from the wheel
    assert result.returncode == 0  # a warning: below the default --fail-on
