"""Turning a Lark parse error inside one statement into a diagnostic in human words.

E001 unexpected token · E002 unexpected character or unterminated string · E003 unexpected end
of a statement (usually an unclosed `{`, `[` or `(`).
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from tmdiag.diagnostics import Diagnostic, Fix, Span, hint_for
from tmdiag.syntax import braces, messages, scan
from tmdiag.syntax.grammar import ELEMENT_KEYWORDS, NAME_PATTERN

_LAST_WORD = re.compile(rf"({NAME_PATTERN})\s*$")
# How far back the two patterns above look: searched over a whole statement they take quadratic
# time (each start position rescans the word), 9 s for a 20 KB word. Words that long are no keyword.
_LOOK_BACK = 256
_KEY_COLON = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\s*:\s*$")
_STATEMENT_HINT = "a statement starts with a keyword (`boundary`, `process`, …); a flow is `a -> b`"
_ATTRIBUTE_OUTSIDE_HINT = "attributes go inside a `{ … }` block; `name: a -> b` starts a named flow"


class _Where:
    """Positions of one statement (the chunk text[start:end]) inside the whole file."""

    def __init__(self, text: str, start: int, end: int, index: scan.LineIndex, path: str):
        self.text, self.start, self.end, self.index, self.path = text, start, end, index, path

    def span(self, offset: int, length: int = 1) -> Span:
        line, column = self.index.position(offset)
        end_line, end_column = self.index.position(offset + max(1, length))
        if end_line != line:  # keep carets on one line
            end_line, end_column = line, column + 1
        return Span(self.path, line, column, end_line, end_column)

    def construct(self, offset: int) -> tuple[str, scan.Opener | None]:
        """What the position is inside: top, boundary, block, rule, team, list or group."""
        openers = scan.open_brackets(self.text, self.start, offset)
        return (openers[-1].construct, openers[-1]) if openers else ("top", None)


def explain(
    error: UnexpectedInput | braces.Repair, text: str, start: int, end: int, index: scan.LineIndex, path: str,
    item_end: int | None = None,
) -> Diagnostic:  # fmt: skip
    """`item_end`: the error is in one item of a block, which ends there (see `tmdiag.syntax.recover`)."""
    where = _Where(text, start, end, index, path)
    if isinstance(error, braces.Repair):
        return _missing_brace(error, where)
    if (
        item_end is not None
        and isinstance(error, UnexpectedToken)
        and where.start + (error.token.start_pos or 0) >= where.start + item_end
    ):
        return _item_ends_early(error, where, where.start + item_end)
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        return _unexpected_token(error, where)
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(error, where)
    expected = set(getattr(error, "accepts", None) or getattr(error, "expected", None) or ())
    return _unexpected_end(expected, where)


def _unexpected_token(error: UnexpectedToken, where: _Where) -> Diagnostic:
    token = error.token
    offset = where.start + (token.start_pos or 0)
    expected = set(error.accepts or error.expected)
    construct, _ = where.construct(offset)
    before = where.text[where.start : offset]
    look_from = max(0, len(before) - _LOOK_BACK)
    previous = _LAST_WORD.search(before, look_from)
    if token.type == "REPLY":
        return Diagnostic("E001", "a `reply` must directly follow the flow it answers",
                          where.span(offset, len(token)), hint='write `a -> b "Request" reply "Response"`')  # fmt: skip
    if token.type in ("NAME", "NUMBER", "DATE", "DURATION") and construct != "top":
        spaced = _spaced_value(where, offset)  # `os: PS 12`: the second word read as the next key
        if spaced is not None and spaced.fix is not None and re.search("[A-Za-z]", spaced.fix.replacement):
            return spaced  # (`port: 443 443` is two numbers, not a text)
    if expected <= {"ARROW", "COLON"} and construct in ("top", "boundary"):
        label = _unquoted_label(where, offset)  # `actor user End user`
        if label is not None:
            return label
    if token.type == "STRING" and before.rstrip().endswith("->"):
        message = f"unexpected string {messages.shorten(str(token))}; a flow's ends are ids"
        ids_hint = 'write the id the element was declared with (`process web "Web app"`: `web`), not its label'
        return Diagnostic("E001", message, where.span(offset, len(str(token))), hint=ids_hint)
    if previous and expected <= {"ARROW", "COLON"} and construct in ("top", "boundary"):
        # `proces web` / `bucket logs`: a word where a keyword belongs, read as the start of a flow or attribute
        word, word_offset = previous.group(1), where.start + previous.start(1)
        if word == "reply":
            return Diagnostic("E001", "a `reply` must directly follow the flow it answers",
                              where.span(word_offset, len(word)),
                              hint='write `a -> b "Request" reply "Response"`')  # fmt: skip
        fix = messages.keyword_suggestion(word)
        if construct == "top" and fix:
            message = f"`{word}` is not a keyword; a statement starts with a keyword or is a flow `a -> b`"
            return Diagnostic("E001", message, where.span(word_offset, len(word)), hint=hint_for(fix), fix=fix)
        if construct == "boundary" and token.type in ("NAME", "STRING"):
            message = f"`{word}` is neither an element kind nor an attribute (`key: value`)"
            kinds = f"element kinds: {messages.element_kinds()}"
            return Diagnostic("E001", message, where.span(word_offset, len(word)), hint=hint_for(fix) or kinds,
                              fix=fix)  # fmt: skip
    if token.type == "ARROW" and construct in ("boundary", "block") and previous:
        return _flow_inside(previous.group(1), where, offset, token)
    if expected == {"COLON"}:
        words = [m for m in scan.tokens(where.text, where.start, offset) if m.lastgroup in ("word", "comment")]
        last_word = next((m for m in reversed(words) if m.lastgroup == "word"), None)
        spaced = _spaced_value(where, last_word.start()) if last_word else None
        if spaced is not None:
            return spaced
    found = messages.describe_token(token)
    message = f"unexpected {found}; expected {messages.expected_words(expected, construct)}"
    hint: str | None = None
    if construct == "team" and expected <= {"NAME", "LSQB"}:
        hint = 'each member has a role: `alice "Alice Ng" security_lead` (or `[developer, sre]`)'
    elif expected == {"COLON"}:
        hint = "attributes are written `key: value`"
        if previous and token.type != "RBRACE":  # `kind sql`: offer the colon after the key
            key_end = where.start + previous.end(1)
            line, column = where.index.position(key_end)
            point = Span(where.path, line, column, line, column)  # an insertion
            fix = Fix(":", point, f"Write `{previous.group(1)}: {messages.shorten(str(token))}`")
            return Diagnostic("E001", message, where.span(offset, len(str(token))), hint=hint, fix=fix)
    elif expected == {"ARROW", "COLON"} and construct == "top":
        hint = _STATEMENT_HINT
    elif expected == {"NAME"} and construct == "top" and _KEY_COLON.search(before, look_from):
        hint = _ATTRIBUTE_OUTSIDE_HINT  # `actor a "A" port: 1`: `port:` read as a flow's name
    elif before.endswith(".") and token.type in ("NUMBER", "DATE", "DURATION"):
        hint = 'a name part cannot start with a digit; quote the value: "python3.12"'
    elif previous and expected >= {"ARROW"}:
        fix = messages.keyword_suggestion(previous.group(1))
        if fix is not None:  # the misspelt keyword is the word before the token reported
            start = where.start + previous.start(1)
            fix = Fix(fix.replacement, where.span(start, len(previous.group(1))))
        hint = hint_for(fix)
        return Diagnostic("E001", message, where.span(offset, len(str(token))), hint=hint, fix=fix)
    return Diagnostic("E001", message, where.span(offset, len(str(token))), hint=hint)


_LOOK = 256


def _flow_inside(source: str, where: _Where, offset: int, token: Token) -> Diagnostic:
    """`app -> rds` inside a boundary (or an element's block): flows are top-level statements."""
    _, opener = where.construct(offset)
    header = braces.header_words(where.text, opener.offset) if opener is not None else ""
    inside = f" inside `{header}`" if header else ""
    message = f"a flow (`{source} -> …`) cannot be written{inside}: flows are top-level statements"
    after = f"the closing `}}` of `{header}`" if header else "the closing `}`"
    hint = f"move it after {after}: a flow names its ends by id, wherever they are declared"
    return Diagnostic("E001", message, where.span(offset, len(str(token))), hint=hint)


_VALUE_WORD = rf"(?:{NAME_PATTERN}|-?[0-9][A-Za-z0-9_.-]*)"
_SPACED = re.compile(rf"({NAME_PATTERN})[ \t]*:[ \t]*({_VALUE_WORD}(?:[ \t]+{_VALUE_WORD})+)[ \t]*(?=[,}}#]|$)")


def _spaced_value(where: _Where, word_offset: int) -> Diagnostic | None:
    """`os: Amazon Linux`: the second word was read as the next attribute's key. Point at the value."""
    line_start = where.text.rfind("\n", 0, word_offset) + 1
    line_end = where.text.find("\n", word_offset)
    line_end = len(where.text) if line_end < 0 else line_end
    # At most _LOOK characters either side: _SPACED tried at every start of a 20 KB word is quadratic.
    line_start, line_end = max(line_start, word_offset - _LOOK), min(line_end, word_offset + _LOOK)
    line = where.text[line_start:line_end]
    comment = next((m.start() for m in scan.tokens(line) if m.lastgroup == "comment"), len(line))
    line = line[:comment]
    for match in _SPACED.finditer(line):
        if not match.start(2) <= word_offset - line_start < match.end(2):
            continue
        key, value = match.group(1), match.group(2)
        span = where.span(line_start + match.start(2), len(value))
        fix = Fix(f'"{value}"', span)
        return Diagnostic("E001", f"a value with spaces needs quotes: `{value}`", span,
                          hint=f'write `{key}: "{value}"`', fix=fix)  # fmt: skip
    return None


_LABELLED = ("boundary", "data", "threat_agent", "control", "view")  # `keyword id "label"`, besides elements
_UNQUOTED_LABEL = re.compile(
    rf"^[ \t]*({'|'.join(sorted((*ELEMENT_KEYWORDS, *_LABELLED), key=len, reverse=True))})[ \t]+({NAME_PATTERN})"
    rf"[ \t]+([^\"{{}}#\n]*?[^\"{{}}#\s])[ \t]*(?=[{{#]|$)",
    re.MULTILINE,
)


def _unquoted_label(where: _Where, offset: int) -> Diagnostic | None:
    """`actor user End user`: a label without quotes (its words read as the start of a flow)."""
    line_start = where.text.rfind("\n", 0, offset) + 1
    found = _UNQUOTED_LABEL.match(where.text, line_start)
    if found is None or not found.start(3) <= offset < found.end(3) or "->" in found.group(3):
        return None
    label = found.group(3)
    span = where.span(found.start(3), len(label))
    return Diagnostic("E001", f"a label is written in quotes: `{label}`", span,
                      hint=f'write `{found.group(1)} {found.group(2)} "{label}"`',
                      fix=Fix(f'"{label}"', span, "Quote the label"))  # fmt: skip


def _item_ends_early(error: UnexpectedToken, where: _Where, item_end: int) -> Diagnostic:
    """The item stops before it is complete (`bob "Bob"` without a role): point just after it."""
    expected = set(error.accepts or error.expected)
    construct, _ = where.construct(item_end)
    last = [m for m in scan.tokens(where.text, where.start, item_end) if m.lastgroup not in ("space", "comment")]
    after = f" after `{messages.shorten(last[-1].group())}`" if last else ""
    if expected == {"COLON"} and last:
        spaced = _spaced_value(where, last[-1].start())
        if spaced is not None:
            return spaced
    hint = None
    if construct == "team" and expected <= {"NAME", "LSQB"}:
        hint = 'each member has a role: `alice "Alice Ng" security_lead` (or `[developer, sre]`)'
    elif expected == {"COLON"}:
        hint = "attributes are written `key: value`"
    message = f"expected {messages.expected_words(expected, construct)}{after}"
    return Diagnostic("E001", message, where.span(item_end), hint=hint)


def _missing_brace(repair: braces.Repair, where: _Where) -> Diagnostic:
    """A `}` or `{` the indentation shows missing (see `tmdiag.syntax.braces`), with a fix adding it."""
    at = where.start + repair.offset
    line, column = where.index.position(at)
    point = Span.point(where.path, line, column)
    insert = Span(where.path, line, column, line, column)  # the fix adds the brace, replacing nothing
    shown = where.index.position(where.start + repair.shown_by)[0] if repair.shown_by is not None else None
    if repair.inserted != braces.OPEN:
        braces_added = repair.inserted.strip()
        opened = [where.span(where.start + h) for h in repair.headers]
        named = [
            _of(braces.header_words(where.text, where.start + h), span.line)
            for h, span in zip(repair.headers, opened, strict=True)
        ]
        verb = "is" if len(named) == 1 else "are"
        message = f"the `{{`{' and'.join(named)} {verb} never closed"
        because = f": line {shown} is not indented inside it" if shown is not None else ""
        return Diagnostic("E003", message, point, hint=f"add `{braces_added}` at the end of line {line}{because}",
                          related=tuple(("`{` opened here", span) for span in opened),
                          fix=Fix(repair.inserted, insert, f"Add `{braces_added}`"))  # fmt: skip
    header = braces.header_words(where.text, where.start + repair.headers[0])
    message = f"missing `{{` after `{header}`: the lines indented below it are its attributes"
    hint = f"add `{{` at the end of line {line}" + (f" (line {shown} is indented under it)" if shown else "")
    return Diagnostic("E001", message, point, hint=hint, fix=Fix(braces.OPEN, insert, "Add `{`"))


def _of(header: str, line: int) -> str:
    return f" of `{header}` on line {line}" if header else f" on line {line}"


def _unexpected_character(error: UnexpectedCharacters, where: _Where) -> Diagnostic:
    offset = where.start + (error.pos_in_stream or 0)
    char = where.text[offset] if offset < len(where.text) else ""
    if char == '"':
        closing = where.text.find("\n", offset)
        length = (closing if closing != -1 else len(where.text)) - offset
        message = 'unterminated string: a string must close with `"` on the same line'
        hint = 'close it with `"`; write a quote inside as `\\"`'
        return Diagnostic("E002", message, where.span(offset, length), hint=hint)
    construct, _ = where.construct(offset)
    allowed = set(error.allowed or ())
    at_statement_start = construct == "top" and not where.text[where.start : offset].strip()
    expected = messages.expected_words(
        set(messages.statement_terminals()) if at_statement_start else allowed, construct
    )
    rest = where.text[offset : offset + 40]
    return Diagnostic(
        "E002",
        f"unexpected character {messages.describe_char(char)}; expected {expected}",
        where.span(offset),
        hint=messages.character_hint(rest, allowed),
        fix=_character_fix(where, offset, char, allowed),
    )


_SINGLE_QUOTED = re.compile(r"'([^'\n\"\\]*)'")


def _character_fix(where: _Where, offset: int, char: str, allowed: set[str]) -> Fix | None:
    """`kind = sql` → `kind: sql`; `'User'` → `"User"`."""
    if char == "=" and "COLON" in allowed and where.text[offset + 1 : offset + 2] not in ("=", ">"):
        return Fix(":", where.span(offset), "Change `=` to `:`")
    quoted = _SINGLE_QUOTED.match(where.text, offset) if char == "'" else None
    if quoted is not None:
        return Fix(f'"{quoted.group(1)}"', where.span(offset, len(quoted.group())), "Use double quotes")
    return None


def _unexpected_end(expected: set[str], where: _Where) -> Diagnostic:
    end = where.end
    while end > where.start and where.text[end - 1].isspace():
        end -= 1
    construct, opener = where.construct(end)
    related: tuple[tuple[str, Span], ...] = ()
    hint = None
    if opener is not None:
        line, _ = where.index.position(opener.offset)
        closer = {"{": "}", "[": "]", "(": ")"}[opener.char]
        hint = f"the `{opener.char}` on line {line} is never closed: add `{closer}`"
        related = ((f"`{opener.char}` opened here", where.span(opener.offset)),)
    elif expected == {"ARROW"}:
        hint = _ATTRIBUTE_OUTSIDE_HINT
    elif expected == {"ARROW", "COLON"} and construct == "top":
        hint = _STATEMENT_HINT  # `actor a b`: `b` read as the start of a flow
    line, column = where.index.position(end)
    return Diagnostic(
        "E003",
        f"unexpected end of the statement; expected {messages.expected_words(expected, construct)}",
        Span.point(where.path, line, column),
        hint=hint,
        related=related,
    )
