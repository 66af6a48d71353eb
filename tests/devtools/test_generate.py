"""`python -m devtools.generate`: every generator behind one command, and `--check` for drift (`make lint`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devtools import generate

GENERATED = (
    "docs/rules",
    "docs/language.md",
    "dsl/SPEC.md",
    "docs/threats.md",
    "docs/iac.md",
    "editors/vscode/syntaxes/tm.tmLanguage.json",
    "editors/vim/syntax/tmdiag.vim",
    "editors/vim/ftdetect/tmdiag.vim",
    "tmdiag/editors/pygments_lexer.py",
    "tmdiag/syntax/parser_tables.json",
)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the generated files (and the hand-written documents they sit in)."""
    for name in GENERATED:
        source, target = generate.REPO / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return tmp_path


def test_the_committed_files_are_current() -> None:
    assert generate.main(["all", "--check"]) == 0


def test_targets_cover_every_generator() -> None:
    assert {g.name for g in generate.select("docs")} == {"rules-docs", "language-docs", "pytm-mapping", "iac-mapping"}
    assert generate.select("grammars") == (generate.GRAMMARS,)
    assert set(generate.select("all")) == set(generate.GENERATORS)


def test_check_names_stale_files_and_writes_nothing(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    language = checkout / "docs/language.md"
    language.write_text(language.read_text().replace("| `encrypted` |", "| `encrypted_old` |", 1))
    (checkout / "docs/rules/TM203.md").unlink()
    (checkout / "docs/rules/TM999.md").write_text("a retired rule\n")
    (checkout / "tmdiag/editors/pygments_lexer.py").write_text("# edited by hand\n")
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}

    assert generate.main(["all", "--check", "--root", str(checkout)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "out of date: docs/language.md (run `make docs`)",
        "out of date: docs/rules/TM203.md (run `make docs`)",
        "out of date: docs/rules/TM999.md (run `make docs`)",
        "out of date: tmdiag/editors/pygments_lexer.py (run `make grammars`)",
    ]
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == before
    assert generate.main(["grammars", "--check", "--root", str(checkout)]) == 1
    assert "make docs" not in capsys.readouterr().err


def test_generate_writes_what_is_committed(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "docs/rules/TM203.md").unlink()
    (checkout / "docs/rules/TM999.md").write_text("a retired rule\n")
    threats = checkout / "docs/threats.md"
    row = "| `encrypted` | `controls.isEncrypted` | every element and flow |\n"
    threats.write_text(threats.read_text().replace(row, ""))

    assert generate.main(["docs", "--root", str(checkout)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "updated docs/rules/TM203.md",
        "removed docs/rules/TM999.md",
        "updated docs/threats.md",
    ]
    for name in ("docs/rules/TM203.md", "docs/threats.md"):
        assert (checkout / name).read_bytes() == (generate.REPO / name).read_bytes()
    assert not (checkout / "docs/rules/TM999.md").exists()
    assert generate.main(["all", "--check", "--root", str(checkout)]) == 0


def test_a_document_without_its_markers_is_an_error(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "docs/threats.md").write_text("# Threats\n\nno generated table here\n")
    assert generate.main(["docs", "--check", "--root", str(checkout)]) == 2
    assert "docs/threats.md: the markers" in capsys.readouterr().err


def test_cli_docs_and_rules_index_tell_the_same_gates() -> None:
    """Which command catches what (issue 11): written once in devtools/rules_docs.py, shown in both."""
    from devtools.rules_docs import GATES

    assert GATES in (generate.REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert GATES in (generate.REPO / "docs" / "rules" / "index.md").read_text(encoding="utf-8")
    assert "E406" in GATES and "**not** for decisions on threats" in GATES


def test_parser_tables_are_kept_while_current_and_rebuilt_when_the_grammar_changes(checkout: Path) -> None:
    tables = checkout / "tmdiag/syntax/parser_tables.json"
    assert generate.stale(checkout, generate.select("grammars")) == []
    tables.write_text(tables.read_text().replace('"grammar_sha256":"', '"grammar_sha256":"0', 1))
    assert generate.stale(checkout, generate.select("grammars")) == [Path("tmdiag/syntax/parser_tables.json")]
