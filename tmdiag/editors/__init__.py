"""Editor support generated from `grammar/tm.lark`: a TextMate grammar and a Pygments lexer.

Run `make grammars` (`python -m tmdiag.editors.generate`) after changing the grammar.
"""
