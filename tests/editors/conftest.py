"""Shared fixtures: the files every editor test runs on, and the real TextMate engine."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GRAMMAR = ROOT / "editors/vscode/syntaxes/tm.tmLanguage.json"
FIXTURE = HERE / "fixtures/highlight.tm"
MARKDOWN_FIXTURE = HERE / "fixtures/fences.md"  # ```tm fences: the Markdown injection grammar


def corpus() -> list[Path]:
    """Every example, standard module and conformance file, plus the highlighting fixture."""
    files = [*sorted((ROOT / "examples").rglob("*.tm")), *sorted((ROOT / "dsl").rglob("*.tm"))]
    return [p for p in files if "invalid" not in p.parts] + [FIXTURE]


Tokens = list[list[dict[str, Any]]]  # per line: {text, start, end, scopes}


@pytest.fixture(scope="session")
def textmate_tokens() -> dict[Path, Tokens]:
    """All corpus files tokenized by vscode-textmate in one node process."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test-deps`")
    if not (HERE / "node_modules/vscode-textmate").is_dir():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    files = [*corpus(), MARKDOWN_FIXTURE]
    result = subprocess.run(
        [node, str(HERE / "tokenize.js"), str(GRAMMAR), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    raw = json.loads(result.stdout)
    return {Path(name): lines for name, lines in raw.items()}
