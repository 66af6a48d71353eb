"""Reading well-formed `.tm` text straight into model parts: one pass, no parse tree, no Lark.

The loader's fast path. `read` accepts only text that the grammar (grammar/tm.lark, LALR with
Lark's contextual lexer) parses and the tree builder (`tmdiag.model.build`) turns into parts
without a diagnostic, and then returns exactly the parts and comments that path would. Anything
else — a syntax error, a keyword written where a name goes, a duplicate attribute, an unknown
escape, a date that does not exist, brackets nested near the limit, a NUL byte — returns None,
and the loader parses the text with Lark, which reports every problem as precisely as ever.

Why the tokens are Lark's: a word that is a keyword of the grammar is read as that keyword only
where the grammar has it (Lark's contextual lexer then yields the keyword too), and as a name
only where Lark's parser state accepts no keyword but `true`/`false` (where a value or an operand
starts, after a `.`); elsewhere the text is left to Lark. Numbers, dates and durations are tried
in Lark's priority order; space and comments are the grammar's `%ignore`s. tests/model/test_reader.py holds
both paths equal on the conformance corpus, the examples, the standard modules, generated models
and thousands of mutations of them.
"""

from __future__ import annotations

import bisect
import datetime
import re

from tmdiag.diagnostics import Span
from tmdiag.limits import MAX_DURATION_DAYS, MAX_EXPRESSION_DEPTH, MAX_STRING_CHARS, MAX_TOKENS
from tmdiag.model import nodes as n
from tmdiag.model import parts
from tmdiag.model.parts import ESCAPE, ESCAPES, FileParts, duration_days, number, number_too_long, unescape
from tmdiag.model.text import refused_characters
from tmdiag.syntax.grammar import ELEMENT_KEYWORDS, NAME_PATTERN, STRING_PATTERN
from tmdiag.syntax.parse import Comment

# One token after optional space: a word (NAME or keyword), a string, punctuation, a comment, a
# duration, a date, a number (the last three in Lark's order: DURATION.2, DATE.2, NUMBER), `->`, a
# comparison. Names and strings are the grammar's own patterns; the others are held equal by a test.
_TOKEN = re.compile(
    r"[ \t\f\r\n]*(?:"
    rf"(?P<w>{NAME_PATTERN})"
    rf"|(?P<s>{STRING_PATTERN})"
    r"|(?P<p>[{}\[\](),:.])"
    r"|(?P<c>#[^\n]*)"
    r"|(?P<u>\d+[hdwy](?!\w))"
    r"|(?P<d>\d{4}-\d{2}-\d{2}(?![\w-]))"
    r"|(?P<n>-?\d+(?:\.\d+)?(?![\w.]))"
    r"|(?P<a>->)"
    r"|(?P<o>==|!=|<=|>=|<|>)"
    r")"
)
_SPACE = " \t\f\r\n"
# Every word the grammar quotes (a test holds this equal to grammar/tm.lark).
KEYWORDS = frozenset({
    "import", "model", "team", "data", "threat_agent", "boundary", "actor", "process", "server", "lambda",
    "datastore", "external", "llm", "agent", "reply", "control", "risk", "on", "assume", "rule", "view", "when",
    "true", "false", "or", "and", "not", "in", "crosses", "enters", "exits",
})  # fmt: skip
ELEMENT_KINDS = frozenset(ELEMENT_KEYWORDS)
# The keywords `!key` allows as an attribute's key.
KEY_KEYWORDS = ELEMENT_KINDS | {
    "data", "on", "model", "team", "boundary", "control", "risk", "rule", "import", "assume", "reply",
    "threat_agent", "crosses", "enters", "exits", "view",
}  # fmt: skip
RISK_KINDS = ELEMENT_KINDS | {"model"}
MAX_DEPTH = 56  # brackets open at once; the Lark path refuses more than 64 (E005)


_Header = tuple[str, Span, Span, str | None, tuple[n.Attribute, ...]]  # id, span, id span, label, attributes
_RawAttribute = tuple[int, int, int, int, object, tuple[Span, ...]]
_Boundary = tuple[str, Span, Span, str | None, tuple[n.Attribute, ...], list]  # type: ignore[type-arg]


class _NotPlain(Exception):
    """The text is not plainly well-formed: leave it to the Lark path."""


def read(text: str, path: str, max_tokens: int = MAX_TOKENS) -> tuple[FileParts, tuple[Comment, ...], int] | None:
    """The parts, comments and token count of well-formed text, as the Lark path builds them; None
    otherwise (also beyond a limit of tmdiag.limits: the Lark path reports it)."""
    if "\x00" in text:
        return None
    try:
        reader = _Reader(text, path, max_tokens)  # beyond max_tokens: the Lark path says E008 before parsing
        parts, comments = reader.run()
        return parts, comments, reader.tokens
    except (_NotPlain, IndexError, RecursionError):  # IndexError: the text ended inside a statement
        return None


class _Reader:
    def __init__(self, text: str, path: str, max_tokens: int = MAX_TOKENS):
        self.path = path
        self.parts = FileParts(path)
        kinds: list[str] = []
        values: list[str] = []
        starts: list[int] = []
        comments: list[tuple[str, int]] = []
        at = 0
        match_at = _TOKEN.match
        while (match := match_at(text, at)) is not None:
            kind = match.lastgroup or ""
            at = match.end()
            value = match.group(kind)
            if kind == "c":
                comments.append((value, match.start(kind)))
                continue
            kinds.append(value if kind == "p" else kind)
            values.append(value)
            starts.append(match.start(kind))
            if len(starts) > max_tokens:  # stop early: the token lists of a huge file cost ~100 bytes a token
                raise _NotPlain
        if text[at:].strip(_SPACE):  # a character no token starts with
            raise _NotPlain
        self.lines = [0]
        newline = text.find("\n")
        while newline != -1:
            self.lines.append(newline + 1)
            newline = text.find("\n", newline + 1)
        self.tokens = len(kinds)
        kinds.append("$")  # the end: every look-ahead finds a token
        values.append("")
        starts.append(len(text))
        self.k, self.v, self.s = kinds, values, starts
        self.i = 0
        self.depth = 0
        self.comments = tuple(Comment(value, self.span(start, len(value))) for value, start in comments)

    # ---- positions ---------------------------------------------------------------------------
    def span(self, start: int, length: int) -> Span:
        line = bisect.bisect_right(self.lines, start)
        column = start - self.lines[line - 1] + 1
        return Span(self.path, line, column, line, column + length)

    def token(self, i: int) -> Span:
        return self.span(self.s[i], len(self.v[i]))

    def between(self, first: int, last: int) -> Span:
        """From the start of token `first` to the end of token `last`."""
        lines, starts = self.lines, self.s
        line = bisect.bisect_right(lines, starts[first])
        end_line = bisect.bisect_right(lines, starts[last])
        column = starts[first] - lines[line - 1] + 1
        end_column = starts[last] - lines[end_line - 1] + 1 + len(self.v[last])
        return Span(self.path, line, column, end_line, end_column)

    # ---- tokens ------------------------------------------------------------------------------
    def expect(self, kind: str) -> int:
        i = self.i
        if self.k[i] != kind:
            raise _NotPlain
        self.i = i + 1
        return i

    def name(self) -> int:
        """A NAME: a word that is not a keyword."""
        i = self.i
        if self.k[i] != "w" or self.v[i] in KEYWORDS:
            raise _NotPlain
        self.i = i + 1
        return i

    def keyword(self, word: str) -> int:
        i = self.i
        if self.k[i] != "w" or self.v[i] != word:
            raise _NotPlain
        self.i = i + 1
        return i

    def string(self, i: int) -> str:
        inner = self.v[i][1:-1]
        if len(inner) > MAX_STRING_CHARS or refused_characters(inner):
            raise _NotPlain  # E007
        if "\\" in inner:
            if any(m.group(1) not in ESCAPES for m in ESCAPE.finditer(inner)):
                raise _NotPlain  # E006
            return unescape(inner)
        return inner

    def number(self, i: int) -> int | float:
        if number_too_long(self.v[i]):
            raise _NotPlain  # E202
        return number(self.v[i])

    def label(self) -> str | None:
        i = self.i
        if self.k[i] == "s":
            self.i = i + 1
            return self.string(i)
        return None

    def open(self, kind: str) -> None:
        self.expect(kind)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _NotPlain

    # ---- statements --------------------------------------------------------------------------
    def run(self) -> tuple[FileParts, tuple[Comment, ...]]:
        k, v = self.k, self.v
        statements = {
            "import": self.import_, "model": self.model, "team": self.team, "data": self.data,
            "threat_agent": self.agent, "boundary": self.boundary, "control": self.control, "risk": self.risk,
            "assume": self.assume, "rule": self.rule, "view": self.view,
        }  # fmt: skip
        while k[self.i] != "$":
            i = self.i
            if k[i] != "w":
                raise _NotPlain
            word = v[i]
            if word in ELEMENT_KINDS:
                self.parts.elements.append(self.element(None))
            elif word in statements:
                statements[word]()
            elif word in KEYWORDS:
                raise _NotPlain
            else:
                self.flow()
        return self.parts, self.comments

    def import_(self) -> None:
        self.i += 1
        i = self.expect("s")
        self.parts.imports.append((self.string(i), self.token(i)))

    def model(self) -> None:
        first = self.i
        self.i += 1
        label = self.label()
        attributes = self.block()
        span = self.between(first, self.i - 1)
        self.parts.info.append(n.ModelInfo("model", "model", span, span, label, attributes))

    def team(self) -> None:
        self.i += 1
        self.open("{")
        k, v = self.k, self.v
        while k[self.i] != "}":
            first = self.name()
            label = self.label()
            if k[self.i] == "[":
                self.open("[")
                roles = [self.name()]
                while k[self.i] == "," and k[self.i + 1] != "]":
                    self.i += 1
                    roles.append(self.name())
                if k[self.i] == ",":
                    self.i += 1
                self.close("]")
            else:
                roles = [self.name()]
            attributes = self.block() if k[self.i] == "{" else ()
            self.parts.team.append(
                n.Member(
                    "member",
                    v[first],
                    self.between(first, self.i - 1),
                    self.token(first),
                    label,
                    attributes,
                    tuple(v[r] for r in roles),
                    tuple(self.token(r) for r in roles),
                )
            )
        self.close("}")

    def close(self, kind: str) -> None:
        self.expect(kind)
        self.depth -= 1

    def header(self) -> _Header:
        """`KEYWORD NAME STRING? block?` (the keyword at the cursor)."""
        first = self.i
        self.i += 1
        id_ = self.name()
        label = self.label()
        attributes = self.block() if self.k[self.i] == "{" else ()
        return self.v[id_], self.between(first, self.i - 1), self.token(id_), label, attributes

    def data(self) -> None:
        self.parts.data.append(n.DataAsset("data", *self.header()))

    def agent(self) -> None:
        self.parts.agents.append(n.ThreatAgent("threat_agent", *self.header()))

    def control(self) -> None:
        self.parts.controls.append(n.Control("control", *self.header()))

    def view(self) -> None:
        self.parts.views.append(n.View("view", *self.header()))

    def element(self, boundary: str | None) -> n.Element:
        kind = self.v[self.i]
        return n.Element(kind, *self.header(), boundary)

    def boundary(self) -> None:
        # Read depth-first, then added breadth-first as the tree builder does: a boundary, its
        # elements, then the boundaries inside it, level by level.
        queue: list[tuple[_Boundary, str | None, int, object]] = [(self._boundary(), None, 0, None)]
        while queue:
            (id_, span, id_span, label, attributes, items), parent, depth, inherited = queue.pop(0)
            node, trust = parts.boundary(id_, span, id_span, label, attributes, parent, depth, inherited)
            self.parts.boundaries.append(node)
            for item in items:
                if len(item) == 2:
                    kind, (element, span_, id_span_, label_, attributes_) = item  # type: ignore[misc]
                    self.parts.elements.append(n.Element(kind, element, span_, id_span_, label_, attributes_, id_))
                else:
                    queue.append((item, id_, depth + 1, trust))  # type: ignore[arg-type]

    def _boundary(self) -> _Boundary:
        first = self.i
        self.i += 1
        id_ = self.name()
        label = self.label()
        k, v = self.k, self.v
        attributes: list[_RawAttribute] = []
        items: list[tuple[str, _Header] | _Boundary] = []
        if k[self.i] == "{":
            self.open("{")
            while k[self.i] != "}":
                i = self.i
                if k[i + 1] == ":":
                    attributes.append(self.raw_attribute())
                elif k[i] == "w" and v[i] in ELEMENT_KINDS:
                    items.append((v[i], self.header()))
                elif k[i] == "w" and v[i] == "boundary":
                    items.append(self._boundary())
                else:
                    raise _NotPlain
            self.close("}")
        return v[id_], self.between(first, self.i - 1), self.token(id_), label, self.attributes(attributes), items

    def flow(self) -> None:
        k, v = self.k, self.v
        first = self.i
        name = None
        if k[first + 1] == ":":
            name = self.name()
            self.i += 1
        source = self.name()
        self.expect("a")
        sink = self.name()
        label = self.label()
        attributes = self.block() if k[self.i] == "{" else ()
        replies = []
        while k[self.i] == "w" and v[self.i] == "reply":
            start = self.i
            self.i += 1
            reply_label = self.label()
            reply_attributes = self.block() if k[self.i] == "{" else ()
            replies.append((self.between(start, self.i - 1), reply_label, reply_attributes))
        source_span, sink_span = self.token(source), self.token(sink)
        flows = self.parts.flows
        flows.append(
            n.Flow(
                "flow",
                v[name] if name is not None else "",
                self.between(first, self.i - 1),
                self.token(name) if name is not None else source_span,
                label,
                attributes,
                source=v[source],
                sink=v[sink],
                source_span=source_span,
                sink_span=sink_span,
                named=name is not None,
            )
        )
        for number_, (span, reply_label, reply_attributes) in enumerate(replies, 1):
            reply_id = "" if name is None else f"{v[name]}-reply" if number_ == 1 else f"{v[name]}-reply-{number_}"
            flows.append(
                n.Flow(
                    "flow",
                    reply_id,
                    span,
                    span,
                    reply_label or f"Reply: {label or ''}".rstrip(": "),
                    reply_attributes,
                    source=v[sink],
                    sink=v[source],
                    source_span=sink_span,
                    sink_span=source_span,
                    reply_to=-1,
                )
            )

    def risk(self) -> None:
        k, v = self.k, self.v
        first = self.i
        self.i += 1
        threat = self.i
        if k[threat] == "s":
            self.i += 1
            threat_id, is_pattern = self.string(threat), True
        else:
            threat_id, is_pattern = v[self.name()], False
        self.keyword("on")
        target = self.i
        if k[target] == "s":
            self.i += 1
            written, scope = self.string(target), "pattern"
        elif k[target] == "w" and v[target] in RISK_KINDS:
            self.i += 1
            written, scope = v[target], "kind"
        else:
            written, scope = v[self.name()], "id"
        attributes = self.block() if k[self.i] == "{" else ()
        self.parts.risks.append(
            n.RiskDecision(
                "risk",
                threat_id,
                self.between(first, self.i - 1),
                self.token(threat),
                None,
                attributes,
                written,
                self.token(target),
                is_pattern,
                scope,
            )
        )

    def assume(self) -> None:
        first = self.i
        self.i += 1
        text = self.expect("s")
        attributes = self.block() if self.k[self.i] == "{" else ()
        number_ = len(self.parts.assumptions) + 1
        self.parts.assumptions.append(
            n.Assumption(
                "assume",
                f"A{number_}",
                self.between(first, self.i - 1),
                self.token(text),
                self.string(text),
                attributes,
            )
        )

    def rule(self) -> None:
        k, v = self.k, self.v
        first = self.i
        self.i += 1
        id_ = self.name()
        label = self.label()
        self.open("{")
        attributes = []
        conditions = []
        while k[self.i] != "}":
            if k[self.i] == "w" and v[self.i] == "when":
                self.i += 1
                self.expect(":")
                conditions.append(self.expr(0))
                if k[self.i] == ",":
                    self.i += 1
            else:
                attributes.append(self.raw_attribute())
        self.close("}")
        if len(conditions) != 1:
            raise _NotPlain  # E204 (several) or E205 (none)
        condition = _expr(self, conditions[0], 0)
        self.parts.rules.append(
            n.CustomRule(
                "rule",
                v[id_],
                self.between(first, self.i - 1),
                self.token(id_),
                label,
                self.attributes(attributes),
                condition,
            )
        )

    # ---- attributes and values ---------------------------------------------------------------
    def block(self) -> tuple[n.Attribute, ...]:
        self.open("{")
        k = self.k
        raw = []
        while k[self.i] != "}":
            raw.append(self.raw_attribute())
        self.close("}")
        return self.attributes(raw)

    def raw_attribute(self) -> _RawAttribute:
        """`key: value,?` as (key token, last token, value's first and last token, value, item spans)."""
        k, v = self.k, self.v
        key = self.i
        if k[key] != "w" or (v[key] in KEYWORDS and v[key] not in KEY_KEYWORDS) or k[key + 1] != ":":
            raise _NotPlain
        self.i = key + 2
        value, value_first, value_last, items = self.value(True)
        last = self.i - 1
        if k[self.i] == ",":
            last = self.i
            self.i += 1
        return key, last, value_first, value_last, value, items

    def attributes(self, raw: list[_RawAttribute]) -> tuple[n.Attribute, ...]:
        v = self.v
        keys = [v[r[0]] for r in raw]
        if len(set(keys)) != len(keys):
            raise _NotPlain  # E204: given twice
        between = self.between
        return tuple(
            n.Attribute(v[key], value, between(key, last), between(first, value_last), items)
            for key, last, first, value_last, value, items in raw
        )

    def value(self, top: bool = False) -> tuple[object, int, int, tuple[Span, ...]]:
        """A value at the cursor: (value, first token, last token, spans of a top-level list's items)."""
        k, v = self.k, self.v
        i = self.i
        kind = k[i]
        self.i = i + 1
        if kind == "s":
            return self.string(i), i, i, ()
        if kind == "w":  # where a value starts only `true` and `false` are keywords: other words are names
            word = v[i]
            if word == "true":
                return True, i, i, ()
            if word == "false":
                return False, i, i, ()
            if k[i + 1] != ".":
                return n.Name(word), i, i, ()
            while k[self.i] == "." and k[self.i + 1] == "w":  # after `.` only NAME fits: any word is one
                self.i += 2
            return n.Name("".join(v[i : self.i])), i, self.i - 1, ()
        if kind == "n":
            return self.number(i), i, i, ()
        if kind == "d":
            try:
                return datetime.date.fromisoformat(v[i]), i, i, ()
            except ValueError:
                raise _NotPlain from None  # E202
        if kind == "u":
            days = duration_days(v[i])
            if days > MAX_DURATION_DAYS:
                raise _NotPlain  # E202
            return n.Duration(days, v[i]), i, i, ()
        if kind == "[":
            self.i = i
            self.open("[")
            values = []
            spans = []
            if k[self.i] != "]":
                while True:
                    value, first, last, _ = self.value()
                    values.append(value)
                    if top:
                        spans.append(self.between(first, last))
                    if k[self.i] != ",":
                        break
                    self.i += 1
                    if k[self.i] == "]":
                        break
            self.close("]")
            return tuple(values), i, self.i - 1, tuple(spans)
        raise _NotPlain

    # ---- rule conditions: a tree like Lark's (positions of each node and of its parentheses) --
    def expr(self, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise _NotPlain
        left = self.and_expr(depth)
        while self.at("or"):
            self.i += 1
            right = self.and_expr(depth)
            left = _Node("or_op", [left, right], left.outer_first, right.outer_last)
        return left

    def and_expr(self, depth: int) -> _Node:
        left = self.not_expr(depth)
        while self.at("and"):
            self.i += 1
            right = self.not_expr(depth)
            left = _Node("and_op", [left, right], left.outer_first, right.outer_last)
        return left

    def not_expr(self, depth: int) -> _Node:
        if self.at("not"):
            first = self.i
            self.i += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _NotPlain
            operand = self.not_expr(depth + 1)
            self.depth -= 1
            return _Node("not_op", [operand], first, operand.outer_last)
        return self.predicate(depth)

    def predicate(self, depth: int) -> _Node:
        k, v = self.k, self.v
        i = self.i
        if k[i] == "w" and v[i] in ("crosses", "enters", "exits"):
            word = v[i]
            self.i += 1
            target = self.i
            if word == "crosses" and k[target] == "w" and v[target] == "boundary":
                self.i += 1
                return _Node(word, [None], i, target)
            self.name()
            return _Node(word, [v[target]], i, target)
        left = self.operand(depth)
        if k[self.i] == "o":
            operator = v[self.i]
            self.i += 1
            right = self.operand(depth)
            return _Node("compare", [left, operator, right], left.outer_first, right.outer_last)
        if self.at("in"):
            self.i += 1
            self.open("[")
            options = []
            if k[self.i] != "]":
                while True:
                    options.append(self.operand(depth))
                    if k[self.i] != ",":
                        break
                    self.i += 1
                    if k[self.i] == "]":
                        break
            self.close("]")
            return _Node("in_op", [left, options], left.outer_first, self.i - 1)
        return left

    def operand(self, depth: int) -> _Node:
        k, v = self.k, self.v
        i = self.i
        kind = k[i]
        if kind == "(":
            self.open("(")
            inner = self.expr(depth + 1)
            self.close(")")
            inner.outer_first, inner.outer_last = i, self.i - 1
            return inner
        if kind == "s":
            self.i += 1
            return _Node("string", [self.string(i)], i, i)
        if kind == "n":
            self.i += 1
            return _Node("number", [self.number(i)], i, i)
        if kind != "w":
            raise _NotPlain
        self.i += 1
        if v[i] in ("true", "false"):  # other words are names here (`data.pii`, `kind == process`)
            return _Node(v[i], [v[i] == "true"], i, i)
        while k[self.i] == "." and k[self.i + 1] == "w":
            self.i += 2
        return _Node("dotted", [tuple(v[i : self.i : 2])], i, self.i - 1)

    def at(self, word: str) -> bool:
        return self.k[self.i] == "w" and self.v[self.i] == word


class _Node:
    """A condition's node as Lark's tree has it: own tokens, and the outer ones with parentheses."""

    __slots__ = ("children", "first", "kind", "last", "outer_first", "outer_last")

    def __init__(self, kind: str, children: list, first: int, last: int):  # type: ignore[type-arg]
        self.kind, self.children = kind, children
        self.first, self.last = first, last
        self.outer_first, self.outer_last = first, last


def _expr(reader: _Reader, node: _Node, depth: int) -> n.Expr:
    """The condition as `tmdiag.model.build.Builder.expr` makes it from Lark's tree."""
    if depth > MAX_EXPRESSION_DEPTH:
        raise _NotPlain  # E005
    span = reader.between(node.first, node.last)
    kind = node.kind
    if kind in ("or_op", "and_op"):
        operands: list[n.Expr] = []
        current = node
        while current.kind == kind:  # a left-leaning chain, parenthesised or not: one operation
            operands.append(_expr(reader, current.children[1], depth + 1))
            current = current.children[0]
        operands.append(_expr(reader, current, depth + 1))
        return n.BoolOp(span, kind[:-3], tuple(reversed(operands)))
    if kind == "not_op":
        return n.Not(span, _expr(reader, node.children[0], depth + 1))
    if kind == "compare":
        left, operator, right = node.children
        return n.Compare(span, operator, _expr(reader, left, depth + 1), _expr(reader, right, depth + 1))
    if kind == "in_op":
        left, options = node.children
        return n.In(span, _expr(reader, left, depth + 1), tuple(_expr(reader, o, depth + 1) for o in options))
    if kind in ("crosses", "enters", "exits"):
        return n.BoundaryTest(span, kind, node.children[0])
    if kind == "dotted":
        return n.Path(span, node.children[0])
    value = node.children[0]
    return n.Literal(span, value)
