"""The generated Vim syntax file, run by the real engines: Vim, Neovim 0.7 and 0.11 give every word of
the highlighting fixture and the examples the same group, the one the TextMate grammar's scope maps to."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from devtools.grammars.vim import GROUPS, VimRegexError, to_vim
from tests.editors.conftest import FIXTURE, ROOT, Tokens
from tests.editors.test_neovim import NVIMS

PLUGIN = ROOT / "editors/vim"
DUMP = Path(__file__).resolve().parent / "nvim" / "dump.vim"
FILES = [FIXTURE, ROOT / "examples/checkout.tm"]


def engines() -> dict[str, list[str]]:
    found = {f"nvim {version}": [path, "--headless", "-i", "NONE"] for version, path in NVIMS.items()}
    vim = shutil.which("vim")
    if vim is not None:
        found["vim"] = [vim, "-Nes", "-i", "NONE"]
    return found


ENGINES = engines()


def groups(engine: list[str], path: Path, tmp_path: Path) -> list[list[object]]:
    out = tmp_path / f"{path.stem}.json"
    commands = ["syntax enable", f"set rtp^={PLUGIN}", "set filetype=tmdiag", f"source {DUMP}"]
    subprocess.run([*engine, "-u", "NONE", *[a for c in commands for a in ("-c", c)], str(path)],
                   env={**os.environ, "DUMP_OUT": str(out)}, timeout=120, check=False)  # fmt: skip
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[Path, list[list[object]]]]:
    if len(ENGINES) < 3:
        pytest.fail(f"Vim, Neovim 0.7 and 0.11 are needed (found {sorted(ENGINES)}): run `make test-deps`")
    folder = tmp_path_factory.mktemp("vim")
    return {name: {path: groups(engine, path, folder) for path in FILES} for name, engine in ENGINES.items()}


def test_vim_and_both_neovims_agree(dumps: dict[str, dict[Path, list[list[object]]]]) -> None:
    (first, *others) = dumps.values()
    for other in others:
        assert other == first
    assert len(first[FIXTURE]) > 100


def chain_links() -> dict[str, str]:
    """The groups of chained items (`tmFlow1`) and the highlight group each links to (`tmReference`)."""
    text = (PLUGIN / "syntax/tmdiag.vim").read_text(encoding="utf-8")
    return dict(re.findall(r"^hi def link (tm\w+) (tm\w+)$", text, re.MULTILINE))


def test_groups_match_the_textmate_scopes(dumps, textmate_tokens: dict[Path, Tokens]) -> None:
    """Where a TextMate token starts, Vim's group is the one that scope maps to (same rules, other engine)."""
    by_scope = {f"{scope}.tm": group for scope, (group, _) in GROUPS.items()}
    links = chain_links()
    assert links["tmFlow1"] == "tmReference" and links["tmRisk2"] == "tmThreatId"
    checked = mismatched = 0
    for path in FILES:
        found = next(iter(dumps.values()))[path]
        vim = {(line, column): links.get(str(group), group) for line, column, group in found}
        for number, tokens in enumerate(textmate_tokens[path], 1):
            for token in tokens:
                scope = token["scopes"][-1]
                if scope not in by_scope or not token["text"].strip():
                    continue
                checked += 1
                mismatched += vim.get((number, token["start"] + 1)) != by_scope[scope]
    assert checked > 500 and mismatched == 0


@pytest.mark.parametrize(
    ("python", "vim"),
    [
        (r"(?:-[A-Za-z0-9_]+)*", r"%(-[A-Za-z0-9_]+)*"),
        (r"(?<![\w.-])risk", r"%([0-9A-Za-z_.-])@1<!risk"),
        (r"\d{4}-\d{2}(?![\w-])", r"\d{4}-\d{2}%([0-9A-Za-z_-])@!"),
        (r'"(?:[^"\\\n]|\\.)*"', r'"%([^"\\\n]|\\.)*"'),
        (r"==|<=|<|>", r"\=\=|\<\=|\<|\>"),
        (r"\-\>", r"-\>"),
    ],
)
def test_regexes_translate_to_very_magic(python: str, vim: str) -> None:
    assert to_vim(python) == vim


def test_an_unknown_construct_is_refused() -> None:
    with pytest.raises(VimRegexError):
        to_vim(r"(?P<name>x)")
