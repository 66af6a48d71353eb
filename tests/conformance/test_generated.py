"""Conformance cases too big (or too special) to commit: generated here, compared with the golden
diagnostics in tests/conformance/generated/ (`TMDIAG_UPDATE_GOLDEN=1` rewrites them). They pin
the limits of dsl/SPEC.md: tokens (E008), file and model size, anything but a regular file
(E301), the number of files (E304)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.golden import assert_golden
from tmdiag.api import check_file
from tmdiag.limits import MAX_FILE_BYTES, MAX_IMPORTED_FILES, MAX_TOKENS, MIB
from tmdiag.output.diagnostics import render_text

GOLDEN = Path(__file__).resolve().parent / "generated"


def _too_many_tokens(root: Path) -> Path:
    flows = MAX_TOKENS // 3 + 1  # `a -> a`: three tokens
    (root / "m.tm").write_text('actor a "A"\n' + "a -> a\n" * flows, encoding="utf-8")
    return root / "m.tm"


def _file_too_large(root: Path) -> Path:
    (root / "lib.tm").write_bytes(b"# " + b"x" * (MAX_FILE_BYTES - 1) + b"\n")
    (root / "m.tm").write_text('import "lib.tm"\nactor a "A"\n', encoding="utf-8")
    return root / "m.tm"


def _model_too_large(root: Path) -> Path:
    for name in ("a", "b", "c"):
        (root / f"{name}.tm").write_bytes(b"# " + b"x" * (12 * MIB) + b"\n")
    (root / "m.tm").write_text('import "a.tm"\nimport "b.tm"\nimport "c.tm"\nactor a "A"\n', encoding="utf-8")
    return root / "m.tm"


def _named_pipe(root: Path) -> Path:
    os.mkfifo(root / "pipe.tm")
    (root / "m.tm").write_text('import "pipe.tm"\nactor a "A"\n', encoding="utf-8")
    return root / "m.tm"


def _too_many_files(root: Path) -> Path:
    (root / "lib").mkdir()
    for i in range(MAX_IMPORTED_FILES + 1):
        (root / "lib" / f"f{i:04d}.tm").write_text(f'actor a{i} "A"\n', encoding="utf-8")
    imports = "".join(f'import "lib/f{i:04d}.tm"\n' for i in range(MAX_IMPORTED_FILES + 1))
    (root / "m.tm").write_text(imports, encoding="utf-8")
    return root / "m.tm"


CASES: dict[str, Callable[[Path], Path]] = {
    "e008-too-many-tokens": _too_many_tokens,
    "e301-file-too-large": _file_too_large,
    "e301-model-too-large": _model_too_large,
    "e301-named-pipe": _named_pipe,
    "e304-too-many-files": _too_many_files,
}


def rendered(path: Path) -> str:
    model, diagnostics = check_file(path, lint=False)
    sources = model.sources if model is not None else {}
    return "\n\n".join(render_text(d, sources) for d in diagnostics) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_case_matches_its_golden_diagnostics(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    entry = CASES[name](tmp_path)
    monkeypatch.chdir(tmp_path)
    text = rendered(entry.relative_to(tmp_path))
    assert_golden(text, GOLDEN / f"{name}.expected")
    assert f"error[{name[:4].upper()}]" in text
