"""Editor support that tmdiag ships: the Pygments lexer (`pygments_lexer.TmLexer`, an entry point).

`pygments_lexer.py` is generated from `grammar/tm.lark` by `make grammars` (devtools/grammars/),
together with the VS Code extension's TextMate grammar.
"""
