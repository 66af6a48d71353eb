"""The Python examples in docs/api.md run as written (an API user copies them first)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(encoding="utf-8"), re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_example_runs(number: int) -> None:
    done = subprocess.run([sys.executable, "-c", BLOCKS[number]], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for shown in re.findall(r'print\(.*#\s*"(.+)"$', BLOCKS[number], re.MULTILINE):  # `print(x)  # "what it prints"`
        assert shown in done.stdout.splitlines()
