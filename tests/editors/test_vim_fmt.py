"""`:TmdiagFmt` (editors/vim/ftplugin/tmdiag.vim) in real Vim 9 and Neovim: formats the buffer with the
project's `.venv/bin/tmdiag` (not on PATH), and leaves a broken file as it is, the error shown as a
message and never written into the buffer (issue 15: Vim users had no way to format)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors.test_neovim import NVIMS, PLUGIN, project_venv
from tmdiag.fmt import format_text

MESSY = 'boundary   prod "Prod" { trust: high\n  process web "Web" }\nweb -> web   "Loop"\n'
BROKEN = 'boundary prod "Prod" {\n  trust: high\n'


def engines() -> dict[str, list[str]]:
    found = {f"nvim {version}": [path, "--headless", "-i", "NONE"] for version, path in NVIMS.items()}
    vim = shutil.which("vim")
    if vim is not None:
        found["vim"] = [vim, "-Nes", "-i", "NONE"]
    return found


ENGINES = engines()


def run_fmt(engine: list[str], project: Path, name: str, text: str) -> tuple[str, str]:
    """Open `name` holding `text`, :TmdiagFmt, write; the file after and the messages."""
    path = project / name
    path.write_text(text, encoding="utf-8")
    messages = project / f"{name}.messages"
    script = project / "script.vim"
    script.write_text(
        f"set rtp^={PLUGIN}\nfiletype plugin on\nedit {path}\nTmdiagFmt\nwrite\n"
        f"redir! > {messages}\nsilent messages\nredir END\nqa!\n",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project), "XDG_CONFIG_HOME": str(project / "x"),
           "XDG_DATA_HOME": str(project / "x"), "XDG_STATE_HOME": str(project / "x")}  # fmt: skip
    assert shutil.which("tmdiag", path=env["PATH"]) is None
    subprocess.run([*engine, "-u", "NONE", "-S", str(script)], cwd=project, env=env, timeout=120, check=False)
    return path.read_text(encoding="utf-8"), messages.read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_tmdiag_fmt_formats_the_buffer(engine: str, tmp_path: Path) -> None:
    project_venv(tmp_path)
    formatted, messages = run_fmt(ENGINES[engine], tmp_path, "model.tm", MESSY)
    assert formatted == format_text(MESSY) != MESSY
    assert "tmdiag fmt" not in messages


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_broken_file_is_left_alone_and_the_error_shown(engine: str, tmp_path: Path) -> None:
    project_venv(tmp_path)
    after, messages = run_fmt(ENGINES[engine], tmp_path, "broken.tm", BROKEN)
    assert after == BROKEN
    assert "tmdiag fmt: not formatted: broken.tm:2:14: error[E003]: the `{` of `boundary prod`" in messages


def test_the_engines_are_here() -> None:
    assert "vim" in ENGINES and len(ENGINES) >= 3, "run `make test-deps`"
