"""Completion: keywords, attribute keys of the enclosing block's kind, values after `key:`, ids.

The context comes from a light scan of the text before the cursor (the parse is often broken while
typing); attribute names, value sets and reference kinds come from `tmdiag.model.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lsprotocol import types

from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.syntax import scan
from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS

BLOCK_KEYWORDS = {
    "model": "model", "data": "data", "threat_agent": "threat_agent", "boundary": "boundary",
    "control": "control", "risk": "risk", "assume": "assume", "rule": "rule", "team": "team", "view": "view",
    "reply": "flow", **{kind: kind for kind in schema.ELEMENT_KINDS},
}  # fmt: skip
REF_GROUPS = {
    "member": ("team",), "data": ("data",), "control": ("controls",), "boundary": ("boundaries",),
    "element": ("elements", "flows"), "flow": ("flows",), "agent": ("agents",),
    "protected": ("elements", "flows", "boundaries"),
    "scope": ("boundaries", "elements"),
}  # fmt: skip
_KIND = types.CompletionItemKind


@dataclass
class Context:
    """Where the cursor is: the kind of the enclosing block and the tokens of the current statement."""

    block: str = "top"  # top | a schema kind | team | member
    tokens: list[str] = field(default_factory=list)  # of the statement or attribute being written
    in_string: bool = False
    raw: list[str] = field(default_factory=list)  # every token since the enclosing `{`


def context(text: str, start: int, offset: int) -> Context:
    stack: list[str] = []
    tokens: list[str] = []
    in_string = False
    for match in scan.tokens(text, start, offset):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "string" and (len(value) == 1 or not value.endswith('"')) and match.end() == offset:
            in_string = True
        if kind == "other" and value == "{":
            stack.append(_block_kind(tokens, stack[-1] if stack else "top"))
            tokens = []
        elif kind == "other" and value == "}":
            if stack:
                stack.pop()
            tokens = []
        else:
            tokens.append(value if kind != "string" else '"')
    # a statement keyword in column 1 at the top level starts a new statement
    return Context(stack[-1] if stack else "top", _current_statement(tokens, bool(stack)), in_string, tokens)


def _block_kind(header: list[str], outer: str) -> str:
    keyword = next((t for t in reversed(header) if t in BLOCK_KEYWORDS), None)
    if "->" in header and (keyword is None or header.index("->") > len(header) - 1 - header[::-1].index(keyword)):
        return "flow"
    if keyword is None:
        return "member" if outer == "team" else "flow" if "->" in header else "block"
    return BLOCK_KEYWORDS[keyword]


def _current_statement(tokens: list[str], nested: bool) -> list[str]:
    """The tokens of the statement being written: after the last complete attribute or statement."""
    cut = 0
    depth = 0
    for i, token in enumerate(tokens):
        if token == "[":
            depth += 1
        elif token == "]":
            depth = max(0, depth - 1)
            if depth == 0:
                cut = i + 1  # `key: [a, b]` is complete
        elif depth == 0 and token == ",":
            cut = i + 1
        elif depth == 0 and i >= 2 and tokens[i - 1] == ":" and token not in ("[",):
            cut = i + 1  # `key: value` is complete
        elif depth == 0 and not nested and token in KEYWORDS_FOR_STATEMENTS and i > 0:
            cut = i
    return tokens[cut:]


def complete(model: n.Model | None, text: str, start: int, offset: int) -> list[types.CompletionItem]:
    """Items for the cursor at `offset`; `start` is where the statement around it begins."""
    prefix_start = offset
    while prefix_start > start and (text[prefix_start - 1].isalnum() or text[prefix_start - 1] in "_-"):
        prefix_start -= 1
    ctx = context(text, start, prefix_start)
    if ctx.in_string:
        return []
    tokens = ctx.tokens
    line_start = text.rfind("\n", 0, prefix_start) + 1
    if ctx.block == "top" and not text[line_start:prefix_start].strip():
        tokens = []  # a new line at the top level starts a new statement
    condition = _condition_tokens(ctx.raw) if ctx.block == "rule" else None
    if condition is not None:
        return _condition(condition)
    value_key = _value_key(tokens)
    if value_key is not None:
        return _values(model, ctx.block, value_key)
    if ctx.block == "top":
        return _top_level(model, tokens)
    if ctx.block == "team":
        return _enum(schema.ROLES) if tokens else []
    if tokens:
        return []
    items = _keys(ctx.block)
    if ctx.block == "boundary":
        items += _keywords(("boundary", *schema.ELEMENT_KINDS))
    if ctx.block == "rule":
        items += [types.CompletionItem("when", kind=_KIND.Keyword, insert_text="when: ")]
    return items


def _top_level(model: n.Model | None, tokens: list[str]) -> list[types.CompletionItem]:
    if not tokens:
        return _keywords(KEYWORDS_FOR_STATEMENTS) + _ids(model, "element", skip_flows=True)
    if tokens[-1] == "->":
        return _ids(model, "element", skip_flows=True)
    if tokens[0] == "risk":
        if len(tokens) == 1:
            return _threat_ids(model)
        if len(tokens) == 2:
            return [types.CompletionItem("on", kind=_KIND.Keyword)]
        if len(tokens) == 3:
            return _ids(model, "element")
    return []


CONDITION_WORDS = ("and", "or", "not", "in", "crosses", "enters", "exits", "true", "false")
PATH_ROOTS = ("trust", "data", "boundary", "source", "sink")


def _attributes_of(kinds: tuple[str, ...]) -> dict[str, schema.Attr]:
    found: dict[str, schema.Attr] = {}
    for kind in kinds:
        for spec in schema.SCHEMAS[kind]:
            found.setdefault(spec.name, spec)
    return found


def _condition_tokens(raw: list[str]) -> list[str] | None:
    """The tokens of the `when:` condition being written, or None outside one."""
    starts = [i for i in range(len(raw) - 1) if raw[i] == "when" and raw[i + 1] == ":"]
    if not starts:
        return None
    after = raw[starts[-1] + 2 :]
    return None if ":" in after else after


def _condition(tokens: list[str]) -> list[types.CompletionItem]:
    """In a rule's `when:` (see tmdiag.analysis.conditions): attributes, path roots, operators,
    and after a comparison the values of the attribute compared."""
    targets = _attributes_of(schema.RULE_TARGETS)
    if tokens[-1:] == ["."] and len(tokens) >= 2:
        root = tokens[-2]
        if root == "data":
            return _attribute_items(_attributes_of(("data",)))
        if root == "boundary":
            return _attribute_items(_attributes_of(("boundary",)))
        if root in ("source", "sink"):
            return _attribute_items(_attributes_of(schema.ELEMENT_KINDS)) + _keywords(("trust", "boundary"))
        return []
    if tokens[-1:] in (["crosses"], ["enters"], ["exits"]):
        return _keywords(("boundary",)) if tokens[-1] == "crosses" else []
    compared = next((t for t in reversed(tokens) if t[:1].isalpha() or t[:1] == "_"), None)
    if tokens and tokens[-1] in ("=", "<", ">", "!", "[", ",") and compared is not None:
        spec = targets.get(compared) or _attributes_of(("data", "boundary")).get(compared)
        if compared == "trust":
            return _enum(schema.TRUST_LEVELS)
        if spec is not None and spec.values:
            return _enum(spec.values)
        return _enum(("true", "false")) if spec is not None and spec.type == schema.BOOL else []
    return _attribute_items(targets) + _keywords(CONDITION_WORDS + PATH_ROOTS)


def _attribute_items(specs: dict[str, schema.Attr]) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(spec.name, kind=_KIND.Field, detail=spec.type, documentation=spec.doc)
        for spec in specs.values()
    ]


def _value_key(tokens: list[str]) -> str | None:
    """The key whose value is being written (`key: |`, `key: [a, |`), or None."""
    depth = 0
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token == "]":
            depth += 1
        elif token == "[":
            depth -= 1
        elif token == ":" and depth <= 0:
            after = tokens[i + 1 :]
            if (after and after[0] != "[") or (after[:1] == ["["] and depth == 0 and "]" in after):
                return None
            return tokens[i - 1] if i > 0 else None
    return None


def _keys(block: str) -> list[types.CompletionItem]:
    specs = schema.SCHEMAS.get(block, ())
    return [
        types.CompletionItem(
            spec.name, kind=_KIND.Property, detail=spec.type, documentation=spec.doc, insert_text=f"{spec.name}: "
        )
        for spec in specs
    ]


def _values(model: n.Model | None, block: str, key: str) -> list[types.CompletionItem]:
    spec = schema.BY_NAME.get(block, {}).get(key)
    if spec is None:
        return []
    if spec.type in (schema.ENUM, schema.TLS):
        return _enum(spec.values)
    if spec.type == schema.BOOL:
        return _enum(("true", "false"))
    if spec.ref == "kind":
        return _enum(schema.RULE_TARGETS)
    if spec.ref:
        return _ids(model, spec.ref)
    if spec.type == schema.IDS:
        return _threat_ids(model)
    if spec.example:
        return [types.CompletionItem(spec.example, kind=_KIND.Value)]
    return []


def _enum(values: tuple[str, ...]) -> list[types.CompletionItem]:
    return [types.CompletionItem(v, kind=_KIND.EnumMember) for v in values]


def _keywords(words: tuple[str, ...]) -> list[types.CompletionItem]:
    return [types.CompletionItem(w, kind=_KIND.Keyword) for w in words]


def _ids(model: n.Model | None, ref: str, skip_flows: bool = False) -> list[types.CompletionItem]:
    if model is None:
        return []
    items = []
    for group in REF_GROUPS.get(ref, ()):
        if group == "flows" and skip_flows:
            continue
        for node in getattr(model, group):
            if isinstance(node, n.Flow) and not node.named:
                continue
            kind = _KIND.Reference if isinstance(node, n.Flow) else _KIND.Variable
            items.append(types.CompletionItem(node.id, kind=kind, detail=f"{node.kind} {node.label or ''}".strip()))
    return items


def _threat_ids(model: n.Model | None) -> list[types.CompletionItem]:
    from tmdiag.semantics import threatlib

    items = [
        types.CompletionItem(tid, kind=_KIND.Constant, detail=info.title)
        for tid, info in sorted(threatlib.catalogue().items())
    ]
    if model is not None:
        items += [types.CompletionItem(r.id, kind=_KIND.Constant, detail=r.label or "custom rule") for r in model.rules]
    return items
