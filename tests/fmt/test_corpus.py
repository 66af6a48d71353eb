"""The formatter on every example, standard module and conformance file: same model, stable, comments kept."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from tmdiag.fmt import format_text, layout
from tmdiag.fmt.equivalence import meaning
from tmdiag.syntax import parse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [
    p
    for p in [*sorted((ROOT / "examples").rglob("*.tm")), *sorted((ROOT / "dsl").rglob("*.tm"))]
    if "invalid" not in p.relative_to(ROOT).parts
]


def test_corpus_is_not_empty() -> None:
    assert len(CORPUS) >= 3


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_formatting_keeps_the_model_and_is_stable(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, str(path))  # raises UnsafeFormat if either check fails
    # the same checks, spelled out, so a weakened format_text cannot hide a problem
    before, after = parse(text, str(path)), parse(formatted, str(path))
    assert after.ok
    assert meaning(before) == meaning(after)
    assert layout(after) == formatted
    assert [c.text.rstrip() for c in before.comments] == [c.text for c in after.comments]
    assert formatted.endswith("\n") or formatted == ""  # an empty file stays empty
    assert "\n\n\n" not in formatted and "\t" not in formatted
    assert all(line == line.rstrip() for line in formatted.splitlines())


def test_a_generated_model_of_300_elements() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import system, to_tm  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    text = to_tm(system(300))
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert formatted.count("\n") > text.count("\n")  # one-line team and boundaries were opened up


_PIECES = re.compile(r'(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<comment>#[^\n]*)|(?P<space>[ \t\r\f\n]+)|(?P<other>.)', re.S)


def _respace(text: str, rng: random.Random) -> str:
    """The same text with every run of spaces between tokens changed (line breaks kept)."""
    out = []
    for match in _PIECES.finditer(text):
        value = match.group()
        if match.lastgroup == "space":
            breaks = value.count("\n")
            value = "\n" * breaks + rng.choice(["", " ", "\t", "     "]) if breaks else rng.choice([" ", "  ", "\t "])
        out.append(value)
    return "".join(out)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_spacing_within_lines_does_not_matter(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    expected = format_text(text, str(path))
    rng = random.Random(path.name)
    for _ in range(2):
        assert format_text(_respace(text, rng), str(path)) == expected
