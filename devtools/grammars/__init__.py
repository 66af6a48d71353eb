"""The editor grammars, generated from `grammar/tm.lark`: the TextMate grammar of the VS Code
extension, the Vim syntax file (`editors/vim`) and the Pygments lexer module that tmdiag ships
(`tmdiag/editors/pygments_lexer.py`).

All three highlighters are built from the same `vocabulary.token_rules()`, so they agree with each
other and with the parser. Regenerate with `make grammars`.
"""

from __future__ import annotations

from pathlib import Path

from devtools.grammars import pygments_source, textmate, vim
from devtools.grammars.vocabulary import vocabulary

TEXTMATE_PATH = Path("editors/vscode/syntaxes/tm.tmLanguage.json")
PYGMENTS_PATH = Path("tmdiag/editors/pygments_lexer.py")
VIM_PATH = Path("editors/vim/syntax/tmdiag.vim")
VIM_FTDETECT_PATH = Path("editors/vim/ftdetect/tmdiag.vim")


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
    return generated()
