"""Corpus files with line breaks, comments and blank lines inserted between tokens at random
(fixed seeds): the formatter must never fail its own safety checks on them.

This found comment-order and stability bugs that hand-written cases missed.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tmdiag.fmt import SyntaxProblems, UnsafeFormat, format_text

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for p in [*ROOT.glob("examples/**/*.tm"), *ROOT.glob("dsl/**/*.tm"), *ROOT.glob("tests/fmt/cases/*.tm")]
    if "invalid" not in p.relative_to(ROOT).parts
)
PIECES = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<comment>#[^\n]*)|(?P<space>[ \t\r\f\n]+)|(?P<word>[\w.-]+)|(?P<other>.)', re.S
)
INSERTS = ("\n", "  # trailing\n", "\n\n# own line\n", " ", "\n  ")


def mutate(text: str, rng: random.Random, rate: float = 0.2) -> str:
    out = []
    previous = None
    for match in PIECES.finditer(text):
        value, kind = match.group(), match.lastgroup
        if kind == "space" and "\n" in value and previous != "comment" and rng.random() < 0.3:
            value = " "  # join two lines
        out.append(value)
        if kind in ("word", "other", "string") and rng.random() < rate:
            out.append(rng.choice(INSERTS))
        previous = kind
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_mutated_files_format_safely(seed: int) -> None:
    rng = random.Random(seed)
    path = rng.choice(FILES)
    mutated = mutate(path.read_text(encoding="utf-8-sig"), rng)
    try:
        formatted = format_text(mutated, path.name)  # raises UnsafeFormat on any safety failure
    except SyntaxProblems:
        return  # a join put code after a comment or split a flow: not this test's business
    except UnsafeFormat as refused:
        if refused.bug:
            raise
        return  # a join put a suppression beside several statements: fmt leaves such a line alone, saying why
    assert format_text(formatted, path.name) == formatted
