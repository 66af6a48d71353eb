"""The VS Code extension: its client logic (editors/vscode/lib) run by node's test runner against the
real `tmdiag lsp`, `tmdiag diagram` and `tmdiag report` (editors/vscode/test/); its manifest, commands
and snippets. VS Code itself cannot run here (no display, and its test runner downloads VS Code)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tests.editors.conftest import ROOT
from tmdiag.syntax import parse

EXTENSION = ROOT / "editors/vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))


def node_modules() -> None:
    if not (EXTENSION / "node_modules/vscode-languageclient").is_dir():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True, timeout=600)


@pytest.mark.slow
def test_the_client_logic_against_the_real_server() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run `make test-deps`")
    node_modules()
    result = subprocess.run(
        [node, "--test", "test/"], cwd=EXTENSION, env={**os.environ, "TMDIAG_ROOT": str(ROOT)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) >= 12 and "\n# fail 0" in result.stdout


def test_every_contributed_command_is_registered() -> None:
    source = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    registered = set(re.findall(r'registerCommand\("([\w.]+)"', source))
    contributed = {c["command"] for c in MANIFEST["contributes"]["commands"]}
    assert contributed == registered == {"tmdiag.showDiagram", "tmdiag.showReport", "tmdiag.restartServer"}
    settings = MANIFEST["contributes"]["configuration"]["properties"]
    assert {"tmdiag.path", "tmdiag.threats", "tmdiag.diagram.style"} <= set(settings)
    for key in ("path", "threats", "diagram.style", "diagram.threats"):
        assert f'"{key}"' in source  # read by the extension


def expand(body: list[str]) -> str:
    """A snippet with every placeholder at its default (the first choice), tabs as two spaces."""
    text = "\n".join(body).replace("\t", "  ")
    text = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\|\}", r"\1", text)
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)
    text = re.sub(r"\$CURRENT_YEAR-\$CURRENT_MONTH-\$CURRENT_DATE", "2026-11-30", text)
    return re.sub(r"\$\d+", "", text)


SNIPPETS = json.loads((EXTENSION / "snippets/tmdiag.code-snippets").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_each_snippet_expands_to_valid_tm(name: str) -> None:
    text = expand(SNIPPETS[name]["body"])
    result = parse(text, "snippet.tm")
    assert result.diagnostics == (), f"{name}: {text!r} → {[d.message for d in result.diagnostics]}"
    assert SNIPPETS[name]["prefix"] and SNIPPETS[name]["description"]


def bundle() -> None:
    """dist/extension.js, as `vsce package` builds it before packaging (`vscode:prepublish`)."""
    node_modules()
    subprocess.run(["npm", "run", "--silent", "bundle"], cwd=EXTENSION, check=True, timeout=120, capture_output=True)


def test_the_manifest_points_at_files_that_exist() -> None:
    bundle()
    contributes = MANIFEST["contributes"]
    paths = [MANIFEST["main"], *(g["path"] for g in contributes["grammars"]), *(s["path"] for s in contributes["snippets"]),
             *(lang["configuration"] for lang in contributes["languages"])]  # fmt: skip
    for relative in paths:
        assert (EXTENSION / relative).is_file(), relative
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == MANIFEST["dependencies"]


NODE_BUILTINS = {"assert", "buffer", "child_process", "crypto", "events", "fs", "net", "os", "path", "stream",
                 "string_decoder", "url", "util", "tty", "http", "https", "zlib", "readline", "worker_threads"}  # fmt: skip


def test_the_extension_is_one_bundled_file() -> None:
    """esbuild bundles the extension and its dependencies (vsce warned about 327 files): the package
    holds the bundle and the contributed files, no node_modules, and the bundle needs only `vscode`
    and node's own modules."""
    bundle()
    code = (EXTENSION / "dist/extension.js").read_text(encoding="utf-8")
    required = set(re.findall(r'require\("([^"]+)"\)', code))
    assert "vscode" in required and required - {"vscode"} <= NODE_BUILTINS | {f"node:{m}" for m in NODE_BUILTINS}
    assert subprocess.run(["node", "--check", "dist/extension.js"], cwd=EXTENSION, timeout=60).returncode == 0
    listed = subprocess.run(
        ["npx", "vsce", "ls"], cwd=EXTENSION, capture_output=True, text=True, timeout=120, check=True
    )
    files = set(listed.stdout.split())
    assert "dist/extension.js" in files and "package.json" in files and "README.md" in files
    assert not any(f.startswith(("node_modules/", "lib/", "test/")) for f in files) and len(files) <= 10, files


def test_the_detection_knows_every_statement_keyword() -> None:
    from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS

    source = (EXTENSION / "lib/detect.js").read_text(encoding="utf-8")
    listed = re.search(r"const KEYWORDS = \[(.*?)\];", source, re.DOTALL)
    assert listed is not None
    assert sorted(re.findall(r'"(\w+)"', listed.group(1))) == sorted(KEYWORDS_FOR_STATEMENTS)
    assert "firstLine" in MANIFEST["contributes"]["languages"][0]
