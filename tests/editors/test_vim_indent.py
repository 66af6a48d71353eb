"""editors/vim/indent/tmdiag.vim in real Vim 9 and Neovim 0.7 / 0.11: typing a block indents it (the
trial's `o` after `boundary aws "…" {` started at column 0), and `gg=G` on a model whose indentation
was stripped gives back `tmdiag fmt`'s layout for every example."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.editors.conftest import ROOT
from tests.editors.test_vim_fmt import ENGINES
from tests.editors.test_neovim import PLUGIN

EXAMPLES = sorted((ROOT / "examples").rglob("*.tm"))
TYPED = 'boundary aws "AWS" {\n  trust: high\n  process web "Web" {\n    port: 443\n  }\n}\nweb -> web "x" {\n  data: [\n    a,\n  ]\n}\n'  # fmt: skip


def run(engine: str, tmp_path: Path, commands: str) -> None:
    script = tmp_path / "script.vim"
    script.write_text(f"set rtp^={PLUGIN}\nfiletype plugin indent on\n{commands}\nqa!\n", encoding="utf-8")
    subprocess.run([*ENGINES[engine], "-u", "NONE", "-S", str(script)], cwd=tmp_path, timeout=120, check=False,
                   capture_output=True)  # fmt: skip


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_reindenting_a_flattened_example_gives_the_formatted_file(engine: str, tmp_path: Path) -> None:
    commands = []
    for number, example in enumerate(EXAMPLES):
        flat = tmp_path / f"flat{number}.tm"
        flat.write_text(re.sub(r"(?m)^[ \t]+", "", example.read_text(encoding="utf-8")), encoding="utf-8")
        commands.append(f"edit! {flat}\nnormal! gg=G\nwrite! {tmp_path / f'out{number}.tm'}")
    run(engine, tmp_path, "\n".join(commands))
    for number, example in enumerate(EXAMPLES):
        assert (tmp_path / f"out{number}.tm").read_text(encoding="utf-8") == example.read_text(encoding="utf-8"), (
            example
        )


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_typing_a_block_indents_it(engine: str, tmp_path: Path) -> None:
    keys = TYPED.replace("  ", "").rstrip("\n").replace("\n", "\\r").replace('"', '\\"')
    run(engine, tmp_path, f'enew!\nset filetype=tmdiag\nexecute "normal! i{keys}"\nwrite! {tmp_path / "typed.tm"}')
    assert (tmp_path / "typed.tm").read_text(encoding="utf-8") == TYPED
