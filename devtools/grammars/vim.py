"""The Vim syntax file (`editors/vim/syntax/tmdiag.vim`), for Vim and Neovim without LSP highlighting.

Built from the same `vocabulary.token_rules()` as the TextMate grammar and the Pygments lexer.
Those engines take the first rule that matches at a position; Vim takes the item defined last
among those that start at a position, so the rules are written in reverse. A rule of several
segments (`risk INP02 on web`) becomes a chain of items (see `_items`). Every item is a
`syn match`: Vim's `syn keyword` would beat every match, and `data` is also an attribute key.

Regexes are translated from Python's syntax (Lark's) to Vim's very magic mode (`\\v`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devtools.grammars.vocabulary import TokenRule, Vocabulary, token_rules

# TextMate scope (without `.tm`) → (Vim group, standard group it links to; None: not highlighted).
GROUPS: dict[str, tuple[str, str | None]] = {
    "comment.line.number-sign": ("tmComment", "Comment"),
    "string.quoted.double": ("tmString", "String"),
    "entity.name.function.flow": ("tmFlowName", "Function"),
    "variable.other.id": ("tmReference", "Identifier"),
    "entity.name.type.id": ("tmDeclaredId", "Structure"),
    "keyword.operator.arrow": ("tmArrow", "Operator"),
    "keyword.other.declaration": ("tmDeclaration", "Keyword"),
    "constant.other.threat-id": ("tmThreatId", "Constant"),
    "keyword.other": ("tmKeyword", "Keyword"),
    "support.type.property-name": ("tmKey", "Label"),
    "punctuation.separator.key-value": ("tmColon", None),
    "storage.type.element": ("tmElementKind", "Type"),
    "constant.language.boolean": ("tmBoolean", "Boolean"),
    "keyword.operator.logical": ("tmOperatorWord", "Operator"),
    "constant.numeric.date": ("tmDate", "Number"),
    "constant.numeric.duration": ("tmDuration", "Number"),
    "constant.numeric": ("tmNumber", "Number"),
    "keyword.operator.comparison": ("tmCompare", "Operator"),
    "variable.other": ("tmName", "Constant"),  # enum values, roles, icons, team member ids
    "punctuation.section.block": ("tmBrace", None),
    "punctuation.section.brackets": ("tmBracket", None),
    "punctuation.separator": ("tmPunctuation", None),
}

HEADER = """\
" Vim syntax file
" Language:    tmdiag threat models (.tm)
" Maintainer:  the tmdiag project
" Generated from grammar/tm.lark by `make grammars` (devtools/grammars/vim.py). Do not edit.

if exists("b:current_syntax")
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync minlines=1

"""

FOOTER = """\
let b:current_syntax = "tmdiag"
let &cpo = s:cpo_save
unlet s:cpo_save
"""

# Outside a bracket expression, these are special in very magic mode and must be escaped to be literal.
_VERY_MAGIC_SPECIAL = set("<>=@%{}~&|()[]*+?.^$/\\")


LOOK_BEHIND = 200  # bytes a look-behind may look back (Vim is slow without a limit)


class VimRegexError(ValueError):
    pass


def _one_character(regex: str) -> bool:
    """A bracket expression or one escaped character: a look-behind at it needs 1 byte."""
    return (regex.startswith("[") and regex.endswith("]") and regex.count("[") == 1) or (
        len(regex) == 2 and regex.startswith("\\")
    )


def to_vim(regex: str) -> str:
    """A Python regex (the subset the vocabulary uses) in Vim's very magic syntax, without the `\\v`."""
    out, _ = _sequence(regex, 0, top=True)
    return out


def _sequence(regex: str, at: int, top: bool = False) -> tuple[str, int]:
    out: list[str] = []
    while at < len(regex):
        char = regex[at]
        if char == ")":
            if top:
                raise VimRegexError(f"unbalanced ) in {regex!r}")
            return "".join(out), at
        if char == "(":
            inner_start = at + 1
            kind = ""
            for prefix in ("?:", "?<!", "?<=", "?!", "?="):
                if regex.startswith(prefix, inner_start):
                    kind, inner_start = prefix, inner_start + len(prefix)
                    break
            if regex.startswith("?", inner_start):
                raise VimRegexError(f"unsupported group in {regex!r}")
            inner, end = _sequence(regex, inner_start)
            reach = 1 if _one_character(regex[inner_start:end]) else LOOK_BEHIND  # how far a look-behind looks
            suffix = {"?:": "", "": "", "?<!": f"@{reach}<!", "?<=": f"@{reach}<=", "?!": "@!", "?=": "@="}[kind]
            out.append(("%(" if kind in ("?:", "?<!", "?<=", "?!", "?=") else "(") + inner + ")" + suffix)
            at = end + 1
        elif char == "[":
            cls, at = _bracket(regex, at)
            out.append(cls)
        elif char == "\\":
            escaped = regex[at + 1]
            if escaped in "dwsDWS":
                out.append("\\" + escaped)
            elif escaped == "n":
                out.append("\\n")
            elif escaped == "t":
                out.append("\\t")
            elif escaped.isalnum():
                raise VimRegexError(f"unsupported escape \\{escaped} in {regex!r}")
            else:
                out.append(("\\" + escaped) if escaped in _VERY_MAGIC_SPECIAL else escaped)
            at += 2
        elif char == "{":
            end = regex.index("}", at)
            out.append(regex[at : end + 1])  # a counted repeat: the same in very magic mode
            at = end + 1
        elif char in "|*+?.^$":
            out.append(char)
            at += 1
        elif char in _VERY_MAGIC_SPECIAL:
            out.append("\\" + char)
            at += 1
        else:
            out.append(char)
            at += 1
    if not top:
        raise VimRegexError(f"unclosed ( in {regex!r}")
    return "".join(out), at


_CLASS_ESCAPES = {"w": "0-9A-Za-z_", "d": "0-9", "s": " \\t", "n": "\\n", "t": "\\t", "\\": "\\\\", "]": "\\]",
                  "-": "\\-", "^": "\\^", '"': '"', "[": "[", ".": ".", "/": "/"}  # fmt: skip


def _bracket(regex: str, at: int) -> tuple[str, int]:
    """A bracket expression `[…]` (at `at`), and where it ends."""
    out = ["["]
    at += 1
    if regex.startswith("^", at):
        out.append("^")
        at += 1
    first = True
    while at < len(regex):
        char = regex[at]
        if char == "]" and not first:
            return "".join(out) + "]", at + 1
        if char == "\\":
            escaped = regex[at + 1]
            if escaped not in _CLASS_ESCAPES:
                raise VimRegexError(f"unsupported escape \\{escaped} in a class of {regex!r}")
            out.append(_CLASS_ESCAPES[escaped])
            at += 2
        else:
            out.append(char)
            at += 1
        first = False
    raise VimRegexError(f"unclosed [ in {regex!r}")


def _group(scope: str | None) -> tuple[str, str | None] | None:
    if scope is None:
        return None
    if scope not in GROUPS:
        raise KeyError(f"no Vim group for scope {scope!r}: add it to devtools/grammars/vim.py")
    return GROUPS[scope]


@dataclass(frozen=True)
class Item:
    name: str  # the syntax group
    pattern: str  # very magic, without `\v`
    options: str = ""  # `contained`, `nextgroup=… skipwhite`
    link: str | None = None  # a chain's own group links to the highlight group


def _items(rule: TokenRule) -> list[Item]:
    """The syntax items of a rule. A rule of several segments is a chain: its first highlighted
    segment checks the whole rule with a look-ahead (`\\ze`, cheap), then hands over to the next one
    (`nextgroup`, skipping the blanks between them); the following ones are `contained`, so they
    only match there. Look-behinds would do the same but are slow in Vim."""
    segments = [s for s in rule.segments if s.scope is not None]
    if rule.single:
        group = _group(segments[0].scope)
        return [Item(group[0], to_vim(segments[0].regex))] if group else []
    for segment in rule.segments:
        if segment.scope is None and segment.regex not in (r"\s+", r"\s*"):
            raise VimRegexError(f"rule {rule.name}: only blanks may go between highlighted segments")
    prefix = "tm" + "".join(part.title() for part in re.split(r"[^A-Za-z]+", rule.name) if part)
    names = [f"{prefix}{index}" for index in range(1, len(segments) + 1)]
    rest = "".join(f"%({to_vim(s.regex)})" for s in rule.segments[rule.segments.index(segments[0]) + 1 :])
    items = []
    for index, (segment, name) in enumerate(zip(segments, names, strict=True)):
        group = _group(segment.scope)
        assert group is not None
        pattern = to_vim(segment.regex) + (f"\\ze{rest}" if index == 0 and rest else "")
        options = "contained" if index else ""
        if index + 1 < len(names):
            options = f"{options} nextgroup={names[index + 1]} skipwhite".strip()
        items.append(Item(name, pattern, options, group[0]))
    return items


def render(vocab: Vocabulary) -> str:
    rules = token_rules(vocab)
    lines = [HEADER, '" Rules in reverse: the item defined last wins where several start at one column.\n']
    chains: list[Item] = []
    for rule in reversed(rules):
        for item in _items(rule):
            options = f" {item.options}" if item.options else ""
            lines.append(f'syn match {item.name} /\\v{item.pattern}/{options}  " {rule.name}\n')
            if item.link is not None:
                chains.append(item)
    lines.append("\n")
    links = sorted({group for group in GROUPS.values() if group[1] is not None})
    for group, link in links:
        lines.append(f"hi def link {group} {link}\n")
    for item in chains:
        lines.append(f"hi def link {item.name} {item.link}\n")
    lines.append("\n" + FOOTER)
    return "".join(lines)


FTDETECT = """\
" Filetype detection for tmdiag threat models (.tm), in Vim and Neovim.
" Generated from grammar/tm.lark by `make grammars` (devtools/grammars/vim.py). Do not edit.
"
" `.tm` is also the extension of Tcl modules, which Vim and Neovim detect first: a `.tm` file whose
" first statement (after blank and `#` comment lines) starts with a tmdiag keyword or is a flow
" `a -> b` is set to `tmdiag`; any other stays as detected. `:set ft=tmdiag` for a new empty file.

autocmd BufNewFile,BufRead *.tm call s:TmdiagDetect()

function! s:TmdiagDetect() abort
  for line in getline(1, 200)
    if line =~# '^\\s*\\%(#.*\\)\\=$'
      continue
    endif
    if line =~# '\\v^\\s*%(KEYWORDS)>' || line =~# '\\v^\\s*NAME\\s*%(:\\s*NAME\\s*)?-\\>'
      set filetype=tmdiag
    endif
    return
  endfor
endfunction
"""


def ftdetect(vocab: Vocabulary) -> str:
    starters = sorted({*vocab.declarations, *vocab.element_kinds}, key=lambda w: (-len(w), w))
    name = to_vim(vocab.patterns["NAME"])
    return FTDETECT.replace("KEYWORDS", "|".join(starters)).replace("NAME", name)
