"""`tmdiag diagram` end to end, in subprocesses: determinism across hash seeds, no Graphviz, files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.render.conftest import HOSTILE, ROOT

TMDIAG = str(Path(sys.executable).parent / "tmdiag")
CHECKOUT = str(ROOT / "examples" / "checkout.tm")


def tmdiag(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([TMDIAG, "diagram", *args], capture_output=True, env=env, timeout=120, check=False)


def test_dot_and_svg_are_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs: dict[str, set[bytes]] = {}
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        (tmp_path / seed).mkdir()  # diagram -o never creates folders
        for name in ("dfd.svg", "cloud.svg", "dfd.dot", "hostile.svg"):
            target = tmp_path / seed / name
            source = str(tmp_path / "hostile.tm") if name == "hostile.svg" else CHECKOUT
            (tmp_path / "hostile.tm").write_text(HOSTILE, encoding="utf-8")
            style = ["--style", "cloud"] if name.startswith("cloud") else []
            done = tmdiag(source, "-o", str(target), "-q", *style, env=env)
            assert done.returncode == 0, done.stderr
            outputs.setdefault(name, set()).add(target.read_bytes())
    assert {name: len(found) for name, found in outputs.items()} == dict.fromkeys(outputs, 1)


def test_without_graphviz_svg_fails_clearly_and_dot_still_works(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    done = tmdiag(CHECKOUT, "-o", str(tmp_path / "dfd.svg"), env=env)
    assert done.returncode == 2
    assert b"apt-get install graphviz" in done.stderr
    assert not (tmp_path / "dfd.svg").exists()
    done = tmdiag(CHECKOUT, "-o", str(tmp_path / "dfd.dot"), env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dfd.dot").read_text(encoding="utf-8").startswith("digraph tmdiag {")


def test_format_from_extension_and_override(tmp_path: Path) -> None:
    assert tmdiag(CHECKOUT, "-o", str(tmp_path / "a.png")).returncode == 0
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    assert tmdiag(CHECKOUT, "-o", str(tmp_path / "b.txt"), "--format", "dot").returncode == 0
    assert (tmp_path / "b.txt").read_bytes().startswith(b"digraph")
    done = tmdiag(CHECKOUT, "-o", str(tmp_path / "c.pdf"))
    assert done.returncode == 2 and b"cannot tell the format" in done.stderr
    done = tmdiag(CHECKOUT, "--format", "dot")  # stdout
    assert done.returncode == 0 and done.stdout.startswith(b"digraph tmdiag {")


def test_boundary_option_and_errors(tmp_path: Path) -> None:
    done = tmdiag(CHECKOUT, "--boundary", "private", "--format", "dot")
    assert done.returncode == 0 and b"el_assistant" in done.stdout and b"el_customer" in done.stdout
    done = tmdiag(CHECKOUT, "--boundary", "nope", "-o", str(tmp_path / "x.svg"))
    assert done.returncode == 2 and b"no boundary `nope`" in done.stderr
    (tmp_path / "broken.tm").write_text("process a\na -> nowhere\n", encoding="utf-8")
    done = tmdiag(str(tmp_path / "broken.tm"), "-o", str(tmp_path / "y.svg"))
    assert done.returncode == 1 and not (tmp_path / "y.svg").exists()
    assert tmdiag(str(tmp_path / "missing.tm")).returncode == 2


def test_threats_option_marks_risk(tmp_path: Path) -> None:
    done = tmdiag(CHECKOUT, "--threats", "--today", "2026-11-27", "--format", "dot")
    assert done.returncode == 0, done.stderr
    assert b"cluster_legend" in done.stdout and b'color="#C0392B"' in done.stdout


def test_big_models_write_views_beside_the_file(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    (tmp_path / "big.tm").write_text(generate.to_tm(generate.system(650, n_boundaries=3)), encoding="utf-8")
    (tmp_path / "out").mkdir()
    done = tmdiag(str(tmp_path / "big.tm"), "-o", str(tmp_path / "out" / "dfd.dot"))
    assert done.returncode == 0, done.stderr
    assert b"drawn as per-boundary views: model has 650 elements" in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["dfd.b0.dot", "dfd.b1.dot", "dfd.b2.dot", "dfd.dot"]
