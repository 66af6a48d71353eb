"""Every ```tm block in the docs (README, docs/, the generated rule pages) is in `tmdiag fmt`'s layout:
a model copied from the docs does not change when it is formatted (issue 15, item 13 of the trial)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tmdiag.fmt import SyntaxProblems, format_text

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"^```tm\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            found.append((f"{page.relative_to(ROOT)}:{line}", match.group(1)))
    return found


BLOCKS = blocks()


def test_the_docs_have_tm_blocks():
    assert len(BLOCKS) > 100


@pytest.mark.parametrize(("where", "block"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_a_docs_block_is_fmt_stable(where: str, block: str):
    try:
        formatted = format_text(block, where)
    except SyntaxProblems as problems:  # a block that shows an error on purpose is not formatted
        pytest.skip(f"syntax error on purpose: {problems.diagnostics[0].message}")
    assert formatted == block, f"{where}: run `tmdiag fmt` on this block"
