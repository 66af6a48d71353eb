"""Files generated from `grammar/tm.lark`: the TextMate grammar of the VS Code extension, the Vim
syntax file (`editors/vim`), the Pygments lexer module that tmdiag ships
(`tmdiag/editors/pygments_lexer.py`) and the parser's tables (`tmdiag/syntax/parser_tables.json`,
loaded instead of building the parser at start-up).

All three highlighters are built from the same `vocabulary.token_rules()`, so they agree with each
other and with the parser. Regenerate with `make grammars`.
"""

from __future__ import annotations

import json
from pathlib import Path

import lark

from devtools.grammars import pygments_source, textmate, vim
from devtools.grammars.vocabulary import vocabulary
from tmdiag.syntax import tables
from tmdiag.syntax.grammar import grammar_text

TEXTMATE_PATH = Path("editors/vscode/syntaxes/tm.tmLanguage.json")
PYGMENTS_PATH = Path("tmdiag/editors/pygments_lexer.py")
VIM_PATH = Path("editors/vim/syntax/tmdiag.vim")
VIM_FTDETECT_PATH = Path("editors/vim/ftdetect/tmdiag.vim")
TABLES_PATH = Path("tmdiag/syntax/parser_tables.json")


def generated(grammar: str | None = None) -> dict[Path, str]:
    """Generated files (paths relative to the repository) and their text, from `grammar` (default: tm.lark)."""
    vocab = vocabulary(grammar)
    return {
        TEXTMATE_PATH: textmate.render(vocab),
        PYGMENTS_PATH: pygments_source.render(vocab),
        VIM_PATH: vim.render(vocab),
        VIM_FTDETECT_PATH: vim.ftdetect(vocab),
    }


def files(root: Path) -> dict[Path, str]:
    """What `make grammars` writes under `root`."""
    return {**generated(), TABLES_PATH: parser_tables(root)}


def parser_tables(root: Path) -> str:
    """The tables file as it should be: the committed one while it was built from this grammar with
    this Lark version (building the tables twice does not give the same bytes), else a new one."""
    source = root / "grammar/tm.lark"
    grammar = source.read_text(encoding="utf-8") if source.is_file() else grammar_text()
    current = root / TABLES_PATH
    if current.is_file():
        text = current.read_text(encoding="utf-8")
        try:
            recorded = json.loads(text)
        except ValueError:
            recorded = {}
        built_from = (recorded.get("grammar_sha256"), recorded.get("lark_version"))
        if built_from == (tables.grammar_hash(grammar), lark.__version__):
            return text
    return tables.serialize(grammar)
