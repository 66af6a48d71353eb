"""The generated Pygments lexer, found through its entry point as `pygmentize -l tm` finds it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Token

from tests.editors.conftest import FIXTURE, ROOT, corpus


def test_lexer_is_registered_by_name_and_extension() -> None:
    assert get_lexer_by_name("tm").name == "tmdiag"
    assert get_lexer_for_filename("model.tm").name == "tmdiag"


@pytest.mark.parametrize("path", corpus(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_error_tokens_and_text_round_trips(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")  # editors and Pygments drop a byte order mark
    tokens = list(get_lexer_by_name("tm").get_tokens(text))
    assert [value for kind, value in tokens if kind in Error] == []
    assert "".join(value for _, value in tokens) == (text if text.endswith("\n") else text + "\n")


def test_fixture_tokens() -> None:
    tokens = [(kind, value) for kind, value in get_lexer_by_name("tm").get_tokens(FIXTURE.read_text()) if value.strip()]
    kinds = {value: kind for kind, value in reversed(tokens)}  # first occurrence wins
    assert kinds["# every construct the highlighters know, one per line where possible"] in Token.Comment
    assert kinds["import"] in Token.Keyword.Declaration
    assert kinds["process"] in Token.Keyword.Type
    assert kinds["web"] in Token.Name.Class
    assert kinds["pay"] in Token.Name.Function
    assert kinds["->"] in Token.Operator
    assert kinds["2026-10-01"] in Token.Literal.Date
    assert kinds["90d"] in Token.Number
    assert kinds["1.3"] in Token.Number
    assert kinds['"Store \\"order\\""'] in Token.String
    assert kinds["reviewed"] in Token.Name.Attribute
    assert kinds["true"] in Token.Keyword.Constant
    assert kinds["and"] in Token.Operator.Word
    risk = [kind for kind, value in get_lexer_by_name("tm").get_tokens("risk INP02 on web") if value.strip()]
    assert risk == [Token.Keyword.Declaration, Token.Name.Constant, Token.Keyword, Token.Name.Variable]


def test_pygmentize_command_line() -> None:
    pygmentize = shutil.which("pygmentize", path=str(Path(sys.executable).parent))
    assert pygmentize, "pygmentize not installed beside python"
    result = subprocess.run(
        [pygmentize, "-l", "tm", "-f", "html", str(ROOT / "examples/checkout.tm")],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    assert '<span class="kd">boundary</span>' in result.stdout
    assert '<span class="err">' not in result.stdout
