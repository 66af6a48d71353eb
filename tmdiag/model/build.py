"""Building typed model parts from one file's parse trees.

The model is built from trees; it never calls the parser. Values are converted to Python
values here; whether they fit the schema is checked later (analysis.validate).

tmdiag/reader.py builds the same parts straight from well-formed text (the loader's fast path):
a change here is a change there (tests/model/test_reader.py compares the two on every .tm file).
"""

from __future__ import annotations

import datetime

from lark import Token, Tree

from tmdiag.diagnostics import Diagnostic, Span, TmdiagError
from tmdiag.limits import MAX_DURATION_DAYS, MAX_EXPRESSION_DEPTH, MAX_NUMBER_DIGITS, MAX_STRING_CHARS
from tmdiag.model import nodes as n
from tmdiag.model import parts
from tmdiag.model.parts import (
    ESCAPE,
    ESCAPES,
    RESERVED,
    FileParts,
    duration_days,
    number,
    number_flows,
    number_too_long,
    unescape,
)
from tmdiag.model.text import describe, refused_characters

__all__ = ["RESERVED", "Builder", "FileParts", "build", "number_flows"]

_MAX_CHARACTER_ERRORS = 3  # per string: one binary blob pasted into a label gives three, not thousands


class _TooDeep(TmdiagError):
    pass


class Builder:
    def __init__(self, path: str):
        self.path = path
        self.parts = FileParts(path)

    # ---- spans --------------------------------------------------------------------------
    def span(self, item: Tree[Token] | Token) -> Span:
        if isinstance(item, Token):
            return Span(self.path, item.line or 1, item.column or 1, item.end_line or 1, item.end_column or 1)
        meta = item.meta
        if meta.empty:
            return Span.point(self.path, 1, 1)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def error(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        self.parts.diagnostics.append(Diagnostic(code, message, span, hint=hint))

    # ---- statements ---------------------------------------------------------------------
    def statement(self, tree: Tree[Token]) -> None:
        getattr(self, f"_{tree.data}")(tree)

    def _import_stmt(self, tree: Tree[Token]) -> None:
        token = tree.children[0]
        assert isinstance(token, Token)
        self.parts.imports.append((self.string(token), self.span(token)))

    def _model_decl(self, tree: Tree[Token]) -> None:
        label, block = self.label_and(tree.children)
        span = self.span(tree)
        self.parts.info.append(n.ModelInfo("model", "model", span, span, label, self.attributes(block)))

    def _team_decl(self, tree: Tree[Token]) -> None:
        for member in tree.children:
            assert isinstance(member, Tree)
            id_token = member.children[0]
            assert isinstance(id_token, Token)
            label, rest = self.label_and(member.children[1:], want_block=False)
            assert isinstance(rest, list)
            role_tree = next(c for c in rest if isinstance(c, Tree) and c.data == "role")
            block = next((c for c in rest if isinstance(c, Tree) and c.data == "block"), None)
            roles = [t for t in role_tree.children if isinstance(t, Token)]
            self.parts.team.append(
                n.Member(
                    "member",
                    self.declared(id_token),
                    self.span(member),
                    self.span(id_token),
                    label,
                    self.attributes(block),
                    tuple(str(r) for r in roles),
                    tuple(self.span(r) for r in roles),
                )
            )

    def _data_decl(self, tree: Tree[Token]) -> None:
        self.parts.data.append(n.DataAsset("data", *self.header(tree)))

    def _agent_decl(self, tree: Tree[Token]) -> None:
        self.parts.agents.append(n.ThreatAgent("threat_agent", *self.header(tree)))

    def _view_decl(self, tree: Tree[Token]) -> None:
        self.parts.views.append(n.View("view", *self.header(tree)))

    def _control_decl(self, tree: Tree[Token]) -> None:
        self.parts.controls.append(n.Control("control", *self.header(tree)))

    def _element_decl(self, tree: Tree[Token], boundary: str | None = None) -> None:
        kind_tree = tree.children[0]
        assert isinstance(kind_tree, Tree)
        kind = str(kind_tree.children[0])
        id_, span, id_span, label, attributes = self.header(tree, skip=1)
        self.parts.elements.append(n.Element(kind, id_, span, id_span, label, attributes, boundary))

    def _boundary_decl(self, tree: Tree[Token], parent: str | None = None, depth: int = 0) -> None:
        # Iterative over nesting: a boundary's body is queued, not recursed into.
        queue: list[tuple[Tree[Token], str | None, int, object]] = [(tree, parent, depth, None)]
        while queue:
            node, parent_id, level, inherited = queue.pop(0)
            id_token = node.children[0]
            assert isinstance(id_token, Token)
            body = next((c for c in node.children if isinstance(c, Tree) and c.data == "boundary_body"), None)
            label = self.label_of(node.children[1:])
            items = list(body.children) if body else []
            attributes = self.attributes_of([c for c in items if isinstance(c, Tree) and c.data == "attr"])
            boundary, trust = parts.boundary(
                self.declared(id_token), self.span(node), self.span(id_token), label, attributes, parent_id, level,
                inherited,
            )  # fmt: skip
            self.parts.boundaries.append(boundary)
            for child in items:
                if isinstance(child, Tree) and child.data == "element_decl":
                    self._element_decl(child, str(id_token))
                elif isinstance(child, Tree) and child.data == "boundary_decl":
                    queue.append((child, str(id_token), level + 1, trust))

    def _flow_decl(self, tree: Tree[Token]) -> None:
        children = tree.children
        arrow = next(i for i, c in enumerate(children) if isinstance(c, Token) and c.type == "ARROW")
        source, sink = children[arrow - 1], children[arrow + 1]
        assert isinstance(source, Token) and isinstance(sink, Token)
        name = children[0] if arrow == 2 else None
        rest = children[arrow + 2 :]
        replies = [c for c in rest if isinstance(c, Tree) and c.data == "reply"]
        label, block = self.label_and([c for c in rest if c not in replies])
        id_span = self.span(name) if isinstance(name, Token) else self.span(source)
        request = n.Flow(
            "flow",
            self.declared(name) if isinstance(name, Token) else "",
            self.span(tree),
            id_span,
            label,
            self.attributes(block),
            source=str(source),
            sink=str(sink),
            source_span=self.span(source),
            sink_span=self.span(sink),
            named=name is not None,
        )
        self.parts.flows.append(request)
        for k, reply in enumerate(replies, 1):
            reply_label, reply_block = self.label_and(reply.children)
            span = self.span(reply)
            self.parts.flows.append(
                n.Flow(
                    "flow",
                    (f"{name}-reply" if k == 1 else f"{name}-reply-{k}") if name else "",
                    span,
                    span,
                    reply_label or f"Reply: {label or ''}".rstrip(": "),
                    self.attributes(reply_block),
                    source=str(sink),
                    sink=str(source),
                    source_span=self.span(sink),
                    sink_span=self.span(source),
                    reply_to=-1,  # -1: "the flow before", fixed when numbered
                )
            )

    def _risk_decl(self, tree: Tree[Token]) -> None:
        threat, target = tree.children[0], tree.children[1]
        assert isinstance(threat, Token)
        block = tree.children[2] if len(tree.children) > 2 else None
        if isinstance(target, Tree):  # an element kind: every element of that kind
            written, scope = str(target.children[0]), "kind"
        else:
            written, scope = (self.string(target), "pattern") if target.type == "STRING" else (str(target), "id")
        is_pattern = threat.type == "STRING"
        self.parts.risks.append(
            n.RiskDecision(
                "risk",
                self.string(threat) if is_pattern else str(threat),
                self.span(tree),
                self.span(threat),
                None,
                self.attributes(block),
                written,
                self.span(target),
                is_pattern,
                scope,
            )  # type: ignore[arg-type]
        )

    def _assume_decl(self, tree: Tree[Token]) -> None:
        text = tree.children[0]
        assert isinstance(text, Token)
        block = tree.children[1] if len(tree.children) > 1 else None
        number = len(self.parts.assumptions) + 1
        self.parts.assumptions.append(
            n.Assumption(
                "assume", f"A{number}", self.span(tree), self.span(text), self.string(text), self.attributes(block)
            )  # type: ignore[arg-type]
        )

    def _rule_decl(self, tree: Tree[Token]) -> None:
        id_token = tree.children[0]
        assert isinstance(id_token, Token)
        label = self.label_of(tree.children[1:])
        body = tree.children[-1]
        assert isinstance(body, Tree)
        attrs = [c for c in body.children if isinstance(c, Tree) and c.data == "attr"]
        conditions = [c for c in body.children if isinstance(c, Tree) and c.data == "condition"]
        condition = None
        for extra in conditions[1:]:
            self.error("E204", "a rule has one `when:` condition; combine them with `and`", self.span(extra))
        if conditions:
            try:
                condition = self.expr(conditions[0].children[0], 0)  # type: ignore[arg-type]
            except _TooDeep:
                self.error(
                    "E005", f"condition nested deeper than {MAX_EXPRESSION_DEPTH} levels", self.span(conditions[0])
                )
        else:
            self.error(
                "E205",
                f"rule `{id_token}` has no `when:` condition",
                self.span(id_token),
                hint="add e.g. `when: not encrypted and crosses boundary`",
            )
        self.parts.rules.append(
            n.CustomRule(
                "rule",
                self.declared(id_token),
                self.span(tree),
                self.span(id_token),
                label,
                self.attributes_of(attrs),
                condition,
            )
        )

    # ---- pieces -------------------------------------------------------------------------
    def header(self, tree: Tree[Token], skip: int = 0) -> tuple[str, Span, Span, str | None, tuple[n.Attribute, ...]]:
        id_token = tree.children[skip]
        assert isinstance(id_token, Token)
        label, block = self.label_and(tree.children[skip + 1 :])
        return self.declared(id_token), self.span(tree), self.span(id_token), label, self.attributes(block)

    def label_of(self, children: list[Tree[Token] | Token]) -> str | None:
        first = children[0] if children else None
        return self.string(first) if isinstance(first, Token) and first.type == "STRING" else None

    def label_and(
        self, children: list[Tree[Token] | Token], want_block: bool = True
    ) -> tuple[str | None, Tree[Token] | list[Tree[Token] | Token] | None]:
        label = self.label_of(children)
        rest = children[1:] if label is not None else children
        if not want_block:
            return label, rest
        block = next((c for c in rest if isinstance(c, Tree) and c.data == "block"), None)
        return label, block

    def attributes(self, block: object) -> tuple[n.Attribute, ...]:
        if not isinstance(block, Tree):
            return ()
        return self.attributes_of([c for c in block.children if isinstance(c, Tree)])

    def attributes_of(self, attrs: list[Tree[Token]]) -> tuple[n.Attribute, ...]:
        result: list[n.Attribute] = []
        seen: dict[str, Span] = {}
        for attr in attrs:
            key_tree, value_tree = attr.children[0], attr.children[1]
            assert isinstance(key_tree, Tree)
            key = str(key_tree.children[0])
            span = self.span(attr)
            if key in seen:
                self.error(
                    "E204",
                    f"attribute `{key}` given twice",
                    self.span(key_tree),
                    hint=f"first given at line {seen[key].line}",
                )
                continue
            seen[key] = span
            value = self.value(value_tree)
            items: tuple[Span, ...] = ()
            if isinstance(value_tree, Tree) and value_tree.data == "list":
                items = tuple(self.span(c) for c in value_tree.children)
            result.append(n.Attribute(key, value, span, self.span(value_tree), items))
        return tuple(result)

    def value(self, tree: Tree[Token] | Token) -> object:
        if isinstance(tree, Token):  # a NAME kept as is (not produced by the grammar today)
            return n.Name(tree)
        kind = tree.data
        token = tree.children[0] if tree.children else None
        if kind == "string":
            assert isinstance(token, Token)
            return self.string(token)
        if kind == "number":
            text = str(token)
            if number_too_long(text):  # int("9" * 5000) raises ValueError
                assert isinstance(token, Token)
                self.error("E202", f"number with more than {MAX_NUMBER_DIGITS} digits", self.span(token),
                           hint="numbers in a model are ports, counts and scores; quote other values")  # fmt: skip
                return None
            return number(text)
        if kind == "true":
            return True
        if kind == "false":
            return False
        if kind == "dotted":
            return n.Name(".".join(str(t) for t in tree.children))
        if kind == "date":
            assert isinstance(token, Token)
            try:
                return datetime.date.fromisoformat(str(token))
            except ValueError:
                self.error("E202", f"`{token}` is not a valid date", self.span(token), hint="write dates as YYYY-MM-DD")
                return None
        if kind == "duration":
            text = str(token)
            days = duration_days(text)
            if days > MAX_DURATION_DAYS:
                assert isinstance(token, Token)
                shown = text if len(text) <= 24 else text[:23] + "…"
                self.error("E202", f"duration `{shown}` is longer than 100 years", self.span(token),
                           hint="durations are at most `100y` (36500d)")  # fmt: skip
                return None
            return n.Duration(days, text)
        if kind == "list":
            return tuple(self.value(child) for child in tree.children)
        raise AssertionError(f"unknown value node {kind}")

    def string(self, token: Token) -> str:
        inner = str(token)[1:-1]
        self.check_characters(token, inner)
        if "\\" not in inner:
            return inner
        for match in ESCAPE.finditer(inner):
            if match.group(1) not in ESCAPES:
                column = (token.column or 1) + 1 + match.start()
                line = token.line or 1
                self.error(
                    "E006",
                    f"unknown escape `\\{match.group(1)}` in a string",
                    Span(self.path, line, column, line, column + 2),
                    hint='strings know `\\"`, `\\\\`, `\\n` and `\\t`; write a backslash as `\\\\`',
                )
        return unescape(inner)

    def check_characters(self, token: Token, inner: str) -> None:
        """E007: a string longer than the limit, or holding characters no output can carry."""
        line, start = token.line or 1, (token.column or 1) + 1
        if len(inner) > MAX_STRING_CHARS:
            where = Span(self.path, line, start - 1, line, start)
            self.error("E007", f"string of {len(inner):,} characters (at most {MAX_STRING_CHARS:,})", where,
                       hint="keep long text in documents and link to them")  # fmt: skip
        found = refused_characters(inner)
        for offset, char in found[:_MAX_CHARACTER_ERRORS]:
            column = start + offset
            self.error("E007", f"{describe(char)} in a string", Span(self.path, line, column, line, column + 1),
                       hint="strings hold printable text; write a line break as `\\n`, a tab as `\\t`")  # fmt: skip

    def declared(self, token: Token) -> str:
        """An id being declared; keywords are refused (E105)."""
        word = str(token)
        if word in RESERVED:
            self.error(
                "E105",
                f"`{word}` is a keyword and cannot be an id",
                self.span(token),
                hint=f'pick another id (e.g. `{word}_1`); the label can still say "{word}"',
            )
        return word

    def expr(self, tree: Tree[Token] | Token, depth: int) -> n.Expr:
        if depth > MAX_EXPRESSION_DEPTH:
            raise _TooDeep
        span = self.span(tree)
        if isinstance(tree, Token):
            return n.Path(span, (str(tree),))
        kind = tree.data
        if kind in ("or_op", "and_op"):
            op = kind[:-3]
            operands: list[n.Expr] = []
            node: Tree[Token] | Token = tree
            while isinstance(node, Tree) and node.data == kind:  # left-recursive chain: iterate
                operands.append(self.expr(node.children[1], depth + 1))
                node = node.children[0]
            operands.append(self.expr(node, depth + 1))
            return n.BoolOp(span, op, tuple(reversed(operands)))
        if kind == "not_op":
            return n.Not(span, self.expr(tree.children[0], depth + 1))
        if kind == "compare":
            left, operator, right = tree.children
            return n.Compare(span, str(operator), self.expr(left, depth + 1), self.expr(right, depth + 1))
        if kind == "in_op":
            left, options = tree.children
            assert isinstance(options, Tree)
            return n.In(span, self.expr(left, depth + 1), tuple(self.expr(o, depth + 1) for o in options.children))
        if kind in ("crosses", "enters", "exits"):
            token = tree.children[0]
            boundary = None if isinstance(token, Token) and token.type == "ANY_BOUNDARY" else str(token)
            return n.BoundaryTest(span, kind, boundary)
        if kind == "dotted":
            return n.Path(span, tuple(str(t) for t in tree.children))
        return n.Literal(span, self.value(tree))


def build(path: str, statements: tuple[Tree[Token], ...]) -> FileParts:
    builder = Builder(path)
    for statement in statements:
        builder.statement(statement)
    return builder.parts
