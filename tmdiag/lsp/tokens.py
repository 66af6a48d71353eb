"""Semantic tokens (`textDocument/semanticTokens/full` and `/range`): highlighting from the parse tree.

Every editor with an LSP client colours `.tm` files with these, no grammar file needed (Neovim ≥ 0.9,
Helix, Zed, VS Code). Each chunk (top-level statement) is classified once, from its trees, and kept
while the chunk lives (chunks move by whole lines, so the classification moves with them):

- declared ids by kind: boundaries `namespace`, elements `class`, data `struct`, team members
  `parameter`, threat agents `event`, named flows `function`, controls `interface`, custom rules
  `macro` — with the `declaration` modifier;
- references (flow ends, `data:`, `owner:`, `on:`, `by:`, …) get the kind of what they name, looked
  up in the model when tokens are asked for (`variable` when the name is not declared), and
  `defaultLibrary` when it is declared in an imported file;
- threat ids (`risk INP02 on …`, `mitigates:`) `macro`; attribute keys and condition paths `property`;
  enum values and other bare words `enumMember`; element kinds `type`; strings, numbers (also dates
  and durations), comments; statement keywords, `true`/`false` `keyword`; `->`, comparisons and
  `and`/`or`/`not`/`in`/`crosses`/`enters`/`exits` `operator`.

Words the trees do not hold (keywords, and whatever is in a broken statement) come from a light scan
of the chunk's text, so a statement being typed is still coloured.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from tmdiag.lsp.document import Document
from tmdiag.lsp.positions import units
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.syntax import scan
from tmdiag.syntax.grammar import parser
from tmdiag.syntax.incremental import Chunk

TYPES = (
    "namespace", "class", "struct", "parameter", "event", "function", "interface", "macro", "variable",
    "property", "enumMember", "type", "string", "number", "comment", "keyword", "operator",
)  # fmt: skip
MODIFIERS = ("declaration", "defaultLibrary")
T = {name: index for index, name in enumerate(TYPES)}
DECLARATION, DEFAULT_LIBRARY = 1, 2

# What a declared id is, by the kind of node that declares it.
KIND_TYPES = {
    "boundary": T["namespace"], "data": T["struct"], "member": T["parameter"], "threat_agent": T["event"],
    "flow": T["function"], "control": T["interface"], "rule": T["macro"], "view": T["type"],
    **{kind: T["class"] for kind in schema.ELEMENT_KINDS},
}  # fmt: skip
_ENUM = T["enumMember"]
WORD_OPERATORS = frozenset({"and", "or", "not", "in", "crosses", "enters", "exits"})
_STATEMENT_SCHEMA = {"data_decl": "data", "agent_decl": "threat_agent", "control_decl": "control",
                     "risk_decl": "risk", "assume_decl": "assume", "rule_decl": "rule", "model_decl": "model",
                     "flow_decl": "flow", "view_decl": "view"}  # fmt: skip
_LITERAL_TYPES = {"STRING": T["string"], "NUMBER": T["number"], "DATE": T["number"], "DURATION": T["number"],
                  "ARROW": T["operator"], "COMPARE": T["operator"], "ANY_BOUNDARY": T["keyword"]}  # fmt: skip


@functools.cache
def keywords() -> frozenset[str]:
    """The grammar's keywords (its word literals)."""
    return frozenset(str(t.pattern.value) for t in parser().terminals
                     if t.pattern.type == "str" and str(t.pattern.value).isidentifier())  # fmt: skip


@dataclass(slots=True)
class Encoded:
    """A chunk's tokens in the LSP encoding, ready to be copied into a response: 5 integers per token,
    each relative to the token before it. The first token's line is relative to the chunk's first
    line and its column is absolute (both are patched when the chunk is placed after another)."""

    data: list[int]
    refs: list[tuple[int, str]]  # (index of a token's type in `data`, the name it refers to)
    first_line: int = 0  # relative to the chunk's first line
    last_line: int = 0
    last_column: int = 0


_CACHE: weakref.WeakKeyDictionary[Chunk, Encoded] = weakref.WeakKeyDictionary()  # dies with the chunk

# The keyword a statement starts with (element statements start with their kind, which the tree holds).
_LEADING = {"import_stmt": "import", "model_decl": "model", "team_decl": "team", "data_decl": "data",
            "agent_decl": "threat_agent", "boundary_decl": "boundary", "control_decl": "control",
            "risk_decl": "risk", "assume_decl": "assume", "rule_decl": "rule", "view_decl": "view", "reply": "reply",
            "condition": "when", "not_op": "not", "crosses": "crosses", "enters": "enters",
            "exits": "exits"}  # fmt: skip
Found = list[tuple[int, int, int, int, int, "str | None"]]  # (line, column, length, type, modifiers, name)


def chunk_tokens(chunk: Chunk, encoding: str = "utf-16", prefix: str = "") -> Encoded:
    """The chunk's tokens (cached while the chunk lives: it only ever moves by whole lines). `prefix`:
    the text before the chunk on its first line (for columns in UTF-16 or UTF-8 units)."""
    cached = _CACHE.get(chunk)
    if cached is not None:
        return cached
    found: Found = []
    add = found.append
    for statement in chunk.statements():
        _classify(statement, add)
    base, first_column = chunk.line, chunk.column - 1
    for comment in chunk._local_comments:
        span = comment.span
        add((span.line + base - 1, span.column - 1 + (first_column if span.line == 1 else 0),
             len(comment.text), T["comment"], 0, None))  # fmt: skip
    if not chunk.ok or any(s.data in ("rule_decl", "risk_decl") for s in chunk.statements()):
        _scan(chunk, found)  # words the trees do not place: in broken statements, conditions, `on`
    found.sort()
    text = None if chunk.text.isascii() and prefix.isascii() else prefix + chunk.text
    encoded = _encode(found, base, text, encoding)
    _CACHE[chunk] = encoded
    return encoded


def _encode(found: Found, base: int, text: str | None, encoding: str) -> Encoded:
    """`text`: the chunk's lines (the first one whole), when they are not ASCII: columns and lengths are
    converted to `encoding` units."""
    lines = text.split("\n") if text is not None else None
    data: list[int] = []
    refs: list[tuple[int, str]] = []
    previous_line, previous_column, first_line = -1, 0, 0
    seen = -1, -1
    for line, start, length, kind, modifiers, name in found:
        if (line, start) == seen or length <= 0:
            continue  # one token per place (a tree token and the scan agree)
        seen = line, start
        relative = line - base
        if lines is not None and 0 <= relative < len(lines):
            own = lines[relative]
            if not own.isascii():
                start, length = units(own[:start], encoding), units(own[start : start + length], encoding)
        if previous_line < 0:
            first_line = relative
            data += (relative, start, length, kind, modifiers)
        else:
            delta = relative - previous_line
            data += (delta, start - previous_column if delta == 0 else start, length, kind, modifiers)
        if name is not None:
            refs.append((len(data) - 2, name))
        previous_line, previous_column = relative, start
    return Encoded(data, refs, first_line, max(previous_line, 0), previous_column)


def _scan(chunk: Chunk, found: Found) -> None:
    """Keywords, word operators, `->` and strings from a light scan of the chunk's text."""
    text = chunk.text
    line, line_start = chunk.line, 0
    first_column = chunk.column - 1
    words = keywords()
    taken = {(entry[0], entry[1]) for entry in found}  # the trees' classification wins
    for match in scan.tokens(text):
        kind, start = match.lastgroup, match.start()
        if kind == "space":
            breaks = match.group().count("\n")
            if breaks:
                line += breaks
                line_start = start + match.group().rfind("\n") + 1
            continue
        column = start - line_start + (first_column if line == chunk.line else 0)
        if (line, column) in taken:
            continue
        value = match.group()
        if kind == "string" and "\n" not in value:
            found.append((line, column, len(value), T["string"], 0, None))
        elif kind == "arrow":
            found.append((line, column, 2, T["operator"], 0, None))
        elif kind == "word" and value in words:
            found.append((line, column, len(value), T["operator" if value in WORD_OPERATORS else "keyword"], 0, None))


Add = Callable[[tuple[int, int, int, int, int, "str | None"]], None]
# Lark trees and tokens, typed loosely on this hot path (a token's line and column are set: the parser
# propagates positions).
Node = Any


def _token(add: Add, token: Node, kind: int, modifiers: int = 0, name: str | None = None) -> None:
    if token.end_line == token.line:
        add((token.line, token.column - 1, len(token.value), kind, modifiers, name))


def _keyword(add: Add, tree: Node, word: str) -> None:
    meta = tree.meta
    if not meta.empty:
        add((meta.line, meta.column - 1, len(word), T["operator" if word in WORD_OPERATORS else "keyword"], 0, None))


def _classify(statement: Node, add: Add) -> None:
    data = statement.data
    children = statement.children
    leading = _LEADING.get(data)
    if leading is not None:
        _keyword(add, statement, leading)
    if data in ("boundary_decl", "element_decl"):
        _declared(statement, add)
    elif data == "team_decl":
        for member in children:
            if isinstance(member, Tree):
                _member(member, add)
    elif data == "flow_decl":
        _flow(statement, add)
    elif data == "risk_decl":  # THREAT (an id, or a "pattern") on TARGET (an id, an element kind, a "pattern")
        threat, target = children[0], children[1]
        _token(add, threat, T["string"] if threat.type == "STRING" else T["macro"])
        if isinstance(target, Tree):
            _token(add, target.children[0], T["type"])
        elif target.type == "STRING":
            _token(add, target, T["string"])
        else:
            _token(add, target, T["variable"], 0, str(target))
        _blocks(children, "risk", add)
    else:
        schema_kind = _STATEMENT_SCHEMA.get(data, "model")
        first = children[0] if children else None
        if isinstance(first, Token) and first.type == "NAME":
            _token(add, first, KIND_TYPES.get(schema_kind, T["variable"]), DECLARATION)
        _strings(children, add)
        _blocks(children, schema_kind, add)


def _declared(tree: Node, add: Add) -> None:
    """A boundary (its body: attributes, elements, nested boundaries) or an element."""
    stack = [tree]
    while stack:
        node = stack.pop()
        children = node.children
        if node.data == "element_decl":
            kind_tree = children[0]
            kind_token = kind_tree.children[0]
            _token(add, kind_token, T["type"])
            schema_kind = str(kind_token)
            rest = children[1:]
        else:
            if node is not tree:
                _keyword(add, node, "boundary")
            schema_kind, rest = "boundary", children
        for child in rest:
            if isinstance(child, Token):
                if child.type == "NAME":
                    _token(add, child, KIND_TYPES[schema_kind], DECLARATION)
                else:
                    _token(add, child, T["string"])
            elif child.data == "block":
                _attributes(child.children, schema_kind, add)
            elif child.data == "boundary_body":
                body = child.children
                _attributes(body, "boundary", add)
                stack.extend(c for c in body if isinstance(c, Tree) and c.data != "attr")


def _member(member: Node, add: Add) -> None:
    for child in member.children:
        if isinstance(child, Token):
            _token(add, child, T["parameter"] if child.type == "NAME" else T["string"],
                   DECLARATION if child.type == "NAME" else 0)  # fmt: skip
        elif child.data == "role":
            for role in child.children:
                _token(add, role, T["enumMember"])
        elif child.data == "block":
            _attributes(child.children, "member", add)


def _flow(tree: Node, add: Add) -> None:
    children = tree.children
    arrow = 1 if getattr(children[1], "type", None) == "ARROW" else 2  # `name: a -> b`: the name first
    source, sink = children[arrow - 1], children[arrow + 1]
    if arrow == 2:
        _token(add, children[0], T["function"], DECLARATION)
    variable, operator = T["variable"], T["operator"]
    for end in (source, sink):
        if end.end_line == end.line:
            add((end.line, end.column - 1, len(end), variable, 0, str(end)))
    end = children[arrow]
    add((end.line, end.column - 1, 2, operator, 0, None))
    for child in children[arrow + 2 :]:
        if isinstance(child, Token):
            _token(add, child, T["string"])
        elif child.data == "block":
            _attributes(child.children, "flow", add)
        elif child.data == "reply":
            _keyword(add, child, "reply")
            for part in child.children:
                if isinstance(part, Token):
                    _token(add, part, T["string"])
                else:
                    _attributes(part.children, "flow", add)


def _strings(children: list[Node], add: Add) -> None:
    for child in children:
        if isinstance(child, Token) and child.type == "STRING":
            _token(add, child, T["string"])


def _blocks(children: list[Node], schema_kind: str, add: Add) -> None:
    for child in children:
        if isinstance(child, Tree) and child.data in ("block", "rule_body"):
            _attributes(child.children, schema_kind, add)


def _attributes(items: list[Node], schema_kind: str, add: Add) -> None:
    specs = schema.BY_NAME.get(schema_kind, {})
    prop = T["property"]
    for item in items:
        data = getattr(item, "data", None)
        if data == "attr":
            key_tree, value = item.children
            key = key_tree.children[0]
            add((key.line, key.column - 1, len(key), prop, 0, None))
            _value(value, specs.get(key), add)
        elif data == "condition":
            _keyword(add, item, "when")
            _expression(item, add)


def _value(value: Node, spec: schema.Attr | None, add: Add) -> None:
    if isinstance(value, Token):
        _token(add, value, _LITERAL_TYPES.get(value.type, _ENUM))
        return
    data = value.data
    if data == "list":
        for item in value.children:
            _value(item, spec, add)
        return
    children = value.children
    if not children:  # `true` / `false`: the tree holds no token, only its position
        _keyword(add, value, data)
        return
    if data != "dotted" or len(children) > 1:
        for token in children:
            _token(add, token, _LITERAL_TYPES.get(token.type, _ENUM))
        return
    token = children[0]
    if spec is None or not (spec.ref or spec.type == schema.IDS):
        add((token.line, token.column - 1, len(token), _ENUM, 0, None))
    elif spec.type == schema.IDS:
        _token(add, token, T["macro"])
    elif spec.ref == "kind":
        _token(add, token, T["type"])
    else:
        _token(add, token, T["variable"], 0, str(token))


def _expression(condition: Node, add: Add) -> None:
    for tree in condition.iter_subtrees_topdown():
        data = tree.data
        if data in ("true", "false"):
            _keyword(add, tree, data)
            continue
        if data in _LEADING:
            _keyword(add, tree, _LEADING[data])
        for token in tree.children:
            if not isinstance(token, Token):
                continue
            if data == "dotted":
                _token(add, token, T["property"])
            elif data in ("crosses", "enters", "exits") and token.type == "NAME":
                _token(add, token, T["variable"], 0, str(token))
            else:
                _token(add, token, _LITERAL_TYPES.get(token.type, T["enumMember"]))


# ---- the document ------------------------------------------------------------------------
def resolve(document: Document) -> dict[str, tuple[int, int]]:
    """name → (token type, modifiers) for every declared name of the model."""
    model = document.analyse().model
    names: dict[str, tuple[int, int]] = {}
    for group in (*n.NAMED_GROUPS, "rules"):
        for node in getattr(model, group):
            if isinstance(node, n.Flow) and not node.named:
                continue
            kind = KIND_TYPES.get(node.schema_kind, T["variable"])
            names.setdefault(node.id, (kind, 0 if node.span.path == document.path else DEFAULT_LIBRARY))
    return names


def document_tokens(document: Document, first_line: int = 0, last_line: int | None = None) -> list[int]:
    """The LSP encoding of the tokens of the chunks on lines first..last (0-based; whole chunks)."""
    names = resolve(document)
    unknown = (T["variable"], 0)
    encoding = document.lines.encoding
    data: list[int] = []
    previous_line, previous_column = 0, 0
    for chunk in document.parse.chunks:
        start = chunk.line - 1
        if chunk.end_line - 1 - chunk.text.endswith("\n") < first_line:
            continue
        if last_line is not None and start > last_line:
            break
        encoded = _CACHE.get(chunk) or chunk_tokens(
            chunk, encoding, document.lines.line_text(start)[: chunk.column - 1]
        )
        if not encoded.data:
            continue
        at = len(data)
        data += encoded.data
        line = start + encoded.first_line
        column = encoded.data[1]
        data[at] = line - previous_line
        data[at + 1] = column if line != previous_line else column - previous_column
        for index, name in encoded.refs:
            data[at + index], data[at + index + 1] = names.get(name, unknown)
        previous_line = start + encoded.last_line
        previous_column = encoded.last_column
    return data
