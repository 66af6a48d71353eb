"""Pygments lexer for .tm files: `pygmentize -l tm model.tm`, and ```tm fences in MkDocs and Sphinx.

Generated from grammar/tm.lark by `make grammars` (python -m devtools.generate grammars). Do not edit.
"""
# ruff: noqa: E501

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Comment, Keyword, Literal, Name, Number, Operator, Punctuation, String, Whitespace

__all__ = ["TmLexer"]


class TmLexer(RegexLexer):
    name = "tmdiag"
    aliases = ["tm", "tmdiag"]  # noqa: RUF012
    filenames = ["*.tm"]  # noqa: RUF012
    mimetypes = ["text/x-tmdiag"]  # noqa: RUF012
    url = "https://github.com/tmdiag/tmdiag"

    # fmt: off
    tokens = {  # noqa: RUF012
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),  # comment
            (r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"', String.Double),  # string
            (r"((?<![\w.-])(?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(\s*)(:)(\s*)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(\s*)(\->)(\s*)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)", bygroups(Name.Function, Whitespace, Punctuation, Whitespace, Name.Variable, Whitespace, Operator, Whitespace, Name.Variable)),  # named-flow
            (r"((?<![\w.-])(?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(\s*)(\->)(\s*)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)", bygroups(Name.Variable, Whitespace, Operator, Whitespace, Name.Variable)),  # flow
            (r"((?<![\w.-])risk)(\s+)([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(\s+)(on)(\s+)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)", bygroups(Keyword.Declaration, Whitespace, Name.Constant, Whitespace, Keyword, Whitespace, Name.Variable)),  # risk
            (r"((?<![\w.-])(?:crosses|enters|exits))(\s+)(boundary(?![\w.-]))", bygroups(Operator.Word, Whitespace, Keyword)),  # any-boundary
            (r"((?<![\w.-])(?!(?:false|true|when|and|not|in|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),  # key
            (r"((?<![\w.-])(?:datastore|external|process|lambda|server|actor|agent|llm))(\s+)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)", bygroups(Keyword.Type, Whitespace, Name.Class)),  # element
            (r"((?<![\w.-])(?:threat_agent|boundary|control|assume|import|model|data|risk|rule|team|view))(\s+)((?!(?:threat_agent|datastore|boundary|external|control|crosses|process|assume|enters|import|lambda|server|actor|agent|exits|false|model|reply|data|risk|rule|team|true|view|when|and|llm|not|in|on|or)(?![\w-]))[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)", bygroups(Keyword.Declaration, Whitespace, Name.Class)),  # declaration
            (r"(?<![\w.-])(?:threat_agent|boundary|control|assume|import|model|data|risk|rule|team|view)(?![\w.-])", Keyword.Declaration),  # declaration-keyword
            (r"(?<![\w.-])(?:datastore|external|process|lambda|server|actor|agent|llm)(?![\w.-])", Keyword.Type),  # element-keyword
            (r"(?<![\w.-])(?:false|true)(?![\w.-])", Keyword.Constant),  # constant
            (r"(?<![\w.-])(?:crosses|enters|exits|and|not|in|or)(?![\w.-])", Operator.Word),  # operator-keyword
            (r"(?<![\w.-])(?:reply|when|on)(?![\w.-])", Keyword),  # keyword
            (r"(?<![\w.-])\d{4}-\d{2}-\d{2}(?![\w-])", Literal.Date),  # date
            (r"(?<![\w.-])\d+[hdwy](?!\w)", Number),  # duration
            (r"(?<![\w.-])-?\d+(?:\.\d+)?(?![\w.])", Number),  # number
            (r"\->", Operator),  # arrow
            (r"(?:==|!=|<=|>=|<|>)", Operator),  # compare
            (r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", Name),  # name
            (r"[{}]", Punctuation),  # braces
            (r"[\[\]()]", Punctuation),  # brackets
            (r"[,.:]", Punctuation),  # separator
        ],
    }
    # fmt: on
