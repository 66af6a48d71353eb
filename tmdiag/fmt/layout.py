"""Laying out parse trees as canonical `.tm` text.

The printer walks the statements in source order and emits `Line`s; it never reorders anything.
Each line remembers the source offsets of the tokens it holds (its anchors), so comments, which
are not in the tree, can be put back beside the code they were written next to (`comments.py`).

Layout rules:
- two spaces per nesting level; one statement, one flow, one team member per line;
- a `{ … }` block written on one line stays on one line if it fits in `WIDTH` columns and holds
  only attributes; if it does not fit, its attributes fill lines of at most `WIDTH` columns;
  a block written over several lines keeps one line per source line of attributes (joined by `, `),
  a line that would pass `WIDTH` columns continuing on the next;
- lists written over several lines keep one line per source line of items, with trailing commas;
- consecutive one-line statements of the same kind are aligned in columns (head, label, rest);
- blank lines: at most one where the source had any; always one between top-level statements
  of different kinds; never right after `{` or before `}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Token, Tree

from tmdiag.syntax.grammar import STRING_PATTERN

INDENT = "  "
WIDTH = 120

# Top-level statements of one section stay together; a new section gets a blank line before it.
_SECTIONS = {
    "import_stmt": "import", "model_decl": "model", "team_decl": "team", "data_decl": "data",
    "agent_decl": "threat_agent", "boundary_decl": "boundary", "element_decl": "element",
    "flow_decl": "flow", "control_decl": "control", "risk_decl": "risk", "assume_decl": "assume",
    "rule_decl": "rule", "view_decl": "view",
}  # fmt: skip
_KEYWORDS = {
    "import_stmt": "import", "model_decl": "model", "data_decl": "data", "agent_decl": "threat_agent",
    "boundary_decl": "boundary", "control_decl": "control", "rule_decl": "rule", "assume_decl": "assume",
    "view_decl": "view",
}  # fmt: skip
_STRING = re.compile(STRING_PATTERN)
_PRECEDENCE = {"or_op": 1, "and_op": 2, "not_op": 3, "compare": 4, "in_op": 4}

Node = Tree[Token] | Token


@dataclass
class Line:
    indent: int
    cells: list[str]  # columns for alignment; joined by one space when not aligned
    anchors: list[int] = field(default_factory=list)  # source offsets of what the line holds
    blank_before: bool = False
    force_blank: bool = False  # a new top-level section starts here
    align: str | None = None  # lines of one run with the same key are aligned in columns
    opener: bool = False  # ends with `{` or `[` that is closed on a later line
    closer: bool = False  # starts with `}` or `]`
    comment: str | None = None  # trailing comment
    standalone: bool = False  # a comment on a line of its own

    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


class Printer:
    def __init__(self, text: str, pinned: frozenset[int] = frozenset()):
        self.source = text
        self.pinned = pinned  # source lines that end in a suppression (a one-line team there stays one line)
        self.lines: list[Line] = []

    # ---- emitting ---------------------------------------------------------------------------
    def start(self, indent: int, cell: str, anchor: int | None, *, align: str | None = None) -> Line:
        line = Line(indent, [cell], [anchor] if anchor is not None else [], align=align)
        if anchor is not None:
            line.blank_before = self.blank_before(anchor)
        self.lines.append(line)
        return line

    def add(self, text: str, anchor: int | None = None, *, cell: bool = False) -> None:
        line = self.lines[-1]
        if cell:
            line.cells.append(text)
        else:
            line.cells[-1] += text
        if anchor is not None:
            line.anchors.append(anchor)

    def anchor(self, node: Node) -> None:
        """Record every token of `node` as held by the current line."""
        line = self.lines[-1]
        if isinstance(node, Token):
            line.anchors.append(node.start_pos or 0)
            return
        for subtree in node.iter_subtrees():  # iterative: long `and` chains are deep trees
            if not subtree.meta.empty:  # `true` and `false` hold no token, only a position
                line.anchors.append(subtree.meta.start_pos)
            line.anchors.extend(t.start_pos or 0 for t in subtree.children if isinstance(t, Token))

    def blank_before(self, offset: int) -> bool:
        """Whether the source has an empty line between `offset` and what precedes it."""
        newlines = 0
        position = offset - 1
        while position >= 0 and self.source[position] in " \t\r\f\n":
            newlines += self.source[position] == "\n"
            position -= 1
        return position >= 0 and newlines >= 2

    def width(self) -> int:
        line = self.lines[-1]
        return len(INDENT) * line.indent + len(line.text())

    # ---- statements -------------------------------------------------------------------------
    def statements(self, statements: tuple[Tree[Token], ...]) -> None:
        section = None
        for statement in statements:
            first = len(self.lines)
            self.statement(statement, 0)
            current = _SECTIONS.get(statement.data)
            if section is not None and current != section:
                self.lines[first].force_blank = True
            section = current

    def statement(self, tree: Tree[Token], indent: int) -> None:
        kind = tree.data
        start = tree.meta.start_pos
        children = tree.children
        if kind == "import_stmt":
            self.start(indent, f"import {children[0]}", start)
            self.anchor(children[0])
        elif kind == "model_decl":
            self.start(indent, "model", start)
            self.label_and_block(children, indent)
        elif kind == "team_decl":
            self.team(tree, indent)
        elif kind in ("data_decl", "agent_decl", "control_decl", "view_decl"):
            keyword = _KEYWORDS[kind]
            self.start(indent, f"{keyword} {children[0]}", start, align=keyword)
            self.anchor(children[0])
            self.label_and_block(children[1:], indent, aligned=True)
        elif kind == "element_decl":
            kind_token = children[0].children[0]  # type: ignore[union-attr]
            self.start(indent, f"{kind_token} {children[1]}", start, align=str(kind_token))
            self.anchor(children[1])
            self.label_and_block(children[2:], indent, aligned=True)
        elif kind == "boundary_decl":
            self.start(indent, f"boundary {children[0]}", start, align="boundary")
            self.anchor(children[0])
            self.label_and_block(children[1:], indent, aligned=True)
        elif kind == "flow_decl":
            self.flow(tree, indent)
        elif kind == "risk_decl":
            threat, target = children[0], children[1]
            on = target.children[0] if isinstance(target, Tree) else target  # an element kind, or a token
            self.start(indent, f"risk {threat} on {on}", start, align="risk")
            self.anchor(children[0])
            self.anchor(children[1])
            self.add("", cell=True)  # no label column
            block = children[2] if len(children) > 2 else None
            self.add("", cell=True)
            if isinstance(block, Tree):
                self.block(block, indent)
        elif kind == "assume_decl":
            self.start(indent, f"assume {children[0]}", start)
            self.anchor(children[0])
            if len(children) > 1:
                self.add("", cell=True)
                self.block(children[1], indent)  # type: ignore[arg-type]
        elif kind == "rule_decl":
            self.start(indent, f"rule {children[0]}", start)
            self.anchor(children[0])
            self.label_and_block(children[1:], indent)
        else:  # pragma: no cover - the grammar has no other statements
            raise AssertionError(f"unknown statement {kind}")

    def label_and_block(self, children: list[Node], indent: int, aligned: bool = False) -> None:
        """`"label"` then a block (or boundary/rule body), as the line's label and rest columns."""
        rest = list(children)
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            self.add(str(rest[0]), rest[0].start_pos, cell=True)
            rest = rest[1:]
        elif aligned:
            self.add("", cell=True)
        self.add("", cell=True)
        for child in rest:
            if isinstance(child, Tree) and child.data in ("block", "boundary_body", "rule_body"):
                self.block(child, indent)

    def team(self, tree: Tree[Token], indent: int) -> None:
        self.start(indent, "team", tree.meta.start_pos)
        members = [c for c in tree.children if isinstance(c, Tree)]
        opening = _brace_after(self.source, tree.meta.start_pos)
        if not members and not self.has_comment_inside(opening, tree.meta.end_pos):
            self.add(" {}", tree.meta.end_pos - 1)
            return
        one_line = tree.meta.line == tree.meta.end_line and tree.meta.line in self.pinned
        if one_line and not any(_has_block(m) for m in members):
            # `team { … }  # tmdiag: ignore[TM102] …`: the suppression covers every member, so they stay
            self.add(" {", opening)
            for member in members:
                self.add(" " + " ".join(c for c in self.member_cells(member) if c))
                self.anchor(member)
            self.add(" }", tree.meta.end_pos - 1)
            return
        self.open_block(opening)
        for member in members:
            id_token, label, roles = self.member_cells(member)
            self.start(indent + 1, id_token, member.meta.start_pos, align="member")
            self.add(label, cell=True)
            self.add(roles, cell=True)
            has_block = _has_block(member)
            for child in member.children[:-1] if has_block else member.children:
                self.anchor(child)
            if has_block:
                self.block(member.children[-1], indent + 1)  # type: ignore[arg-type]
        self.close_block(tree, indent)

    def member_cells(self, member: Tree[Token]) -> list[str]:
        """A team member's id, label ("" when none) and role(s)."""
        rest = member.children[1:]
        label = ""
        if isinstance(rest[0], Token) and rest[0].type == "STRING":
            label = str(rest[0])
            rest = rest[1:]
        role = rest[0]
        assert isinstance(role, Tree)
        names = [str(t) for t in role.children]
        roles = names[0] if len(names) == 1 and _is_bare_role(role) else f"[{', '.join(names)}]"
        return [str(member.children[0]), label, roles]

    def flow(self, tree: Tree[Token], indent: int) -> None:
        children = tree.children
        arrow = next(i for i, c in enumerate(children) if isinstance(c, Token) and c.type == "ARROW")
        head = f"{children[arrow - 1]} -> {children[arrow + 1]}"
        if arrow == 2:
            head = f"{children[0]}: {head}"
        self.start(indent, head, tree.meta.start_pos, align="flow")
        for token in children[: arrow + 2]:
            self.anchor(token)
        rest = children[arrow + 2 :]
        previous_end = max(_end_line(c) for c in children[: arrow + 2])
        if rest and isinstance(rest[0], Token):
            self.add(str(rest[0]), rest[0].start_pos, cell=True)
            previous_end = max(previous_end, _end_line(rest[0]))
            rest = rest[1:]
        else:
            self.add("", cell=True)
        self.add("", cell=True)
        for child in rest:
            assert isinstance(child, Tree)
            if child.data == "block":
                self.block(child, indent)
            else:  # a reply stays on the line of what precedes it, or on a line of its own
                reply_indent = indent
                if child.meta.line > previous_end:
                    reply_indent = indent + 1
                    self.start(reply_indent, "reply", child.meta.start_pos).blank_before = False
                else:
                    self.space()
                    self.add("reply", child.meta.start_pos)
                for part in child.children:
                    if isinstance(part, Token):
                        self.add(f" {part}", part.start_pos)
                    else:
                        self.block(part, reply_indent)
            previous_end = child.meta.end_line

    # ---- blocks -----------------------------------------------------------------------------
    def space(self) -> None:
        cell = self.lines[-1].cells[-1]
        if cell and not cell.endswith(" "):
            self.add(" ")

    def after_bracket(self) -> bool:
        return self.lines[-1].opener or self.lines[-1].closer

    def has_comment_inside(self, start: int, end: int) -> bool:
        """A comment on a line of its own between `start` and `end` (it keeps an empty block open)."""
        inside = _without_strings(self.source[start:end])
        return re.search(r"\n[ \t\r\f]*#", inside) is not None

    def open_block(self, offset: int) -> None:
        self.space()
        self.add("{", offset)
        self.lines[-1].opener = True

    def close_block(self, tree: Tree[Token], indent: int) -> None:
        line = self.start(indent, "}", None)
        line.anchors.append(tree.meta.end_pos - 1)
        line.closer = True

    def block(self, tree: Tree[Token], indent: int) -> None:
        """A `{ … }`: attributes, and for boundaries and rules also nested statements and conditions."""
        items = [c for c in tree.children if isinstance(c, Tree)]
        self.space()
        if not items and not self.has_comment_inside(tree.meta.start_pos, tree.meta.end_pos):
            self.add("{}", tree.meta.end_pos - 1)
            return
        one_line = tree.meta.line == tree.meta.end_line and tree.data != "rule_body"
        if one_line and all(item.data == "attr" for item in items):
            inline = "{ " + ", ".join(self.attr_text(item) for item in items) + " }"
            if self.width() + len(inline) <= WIDTH:
                self.add(inline, tree.meta.start_pos)
                for item in items:
                    self.anchor(item)
                self.lines[-1].anchors.append(tree.meta.end_pos - 1)
                return
        self.open_block(tree.meta.start_pos)
        fill = one_line  # a one-line block that did not fit: attributes fill lines of WIDTH columns
        previous: Tree[Token] | None = None
        for item in items:
            if item.data == "attr":
                follows_attr = previous is not None and previous.data == "attr" and not self.after_bracket()
                if fill:
                    joins = follows_attr and self.width() + 2 + len(self.attr_text(item)) <= WIDTH
                else:  # attributes written on one source line stay together, as long as the line fits
                    same_line = previous is not None and previous.meta.end_line == item.meta.line
                    joins = follows_attr and same_line and self.width() + 2 + len(self.attr_text(item)) <= WIDTH
                if joins:
                    self.add(", ")
                else:
                    self.start(indent + 1, "", item.meta.start_pos)
                self.attr(item, indent + 1)
            elif item.data == "condition":
                self.start(indent + 1, "when: ", item.meta.start_pos)
                self.add(self.expr(item.children[0], 0))
                self.anchor(item)
            else:
                self.statement(item, indent + 1)
            previous = item
        self.close_block(tree, indent)

    def attr(self, tree: Tree[Token], indent: int) -> None:
        key, value = tree.children
        self.add(f"{key.children[0]}: ", tree.meta.start_pos)  # type: ignore[union-attr]
        if isinstance(value, Tree) and value.data == "list" and value.meta.line != value.meta.end_line:
            self.multiline_list(value, indent)
        else:
            self.add(self.value(value))
            self.anchor(value)

    def attr_text(self, tree: Tree[Token]) -> str:
        key, value = tree.children
        return f"{key.children[0]}: {self.value(value)}"  # type: ignore[union-attr]

    def multiline_list(self, tree: Tree[Token], indent: int) -> None:
        self.add("[", tree.meta.start_pos)
        self.lines[-1].opener = True
        previous: Node | None = None
        for item in tree.children:
            line_of = item.line if isinstance(item, Token) else item.meta.line
            nested = isinstance(item, Tree) and item.data == "list" and item.meta.line != item.meta.end_line
            if previous is not None and _end_line(previous) == line_of and not nested and not self.after_bracket():
                self.add(" ")
            else:
                self.start(indent + 1, "", item.start_pos if isinstance(item, Token) else item.meta.start_pos)
            if nested:
                assert isinstance(item, Tree)
                self.multiline_list(item, indent + 1)
            else:
                self.add(self.value(item))
                self.anchor(item)
            self.add(",")
            previous = item
        line = self.start(indent, "]", None)
        line.anchors.append(tree.meta.end_pos - 1)
        line.closer = True

    # ---- values and expressions -------------------------------------------------------------
    def value(self, node: Node) -> str:
        if isinstance(node, Token):
            return str(node)
        kind = node.data
        if kind in ("true", "false"):
            return kind
        if kind == "dotted":
            return ".".join(str(t) for t in node.children)
        if kind == "list":
            return "[" + ", ".join(self.value(c) for c in node.children) + "]"
        return str(node.children[0])  # string, number, date, duration: as written

    def expr(self, node: Node, minimum: int) -> str:
        """An expression with the parentheses its structure needs (and around `and` inside `or`)."""
        if isinstance(node, Token):
            return str(node)
        kind = node.data
        children = node.children
        if kind in ("or_op", "and_op"):
            operands = _chain(node)
            if kind == "or_op":
                text = " or ".join(self.or_operand(o) for o in operands)
            else:
                text = " and ".join(self.expr(o, 3) for o in operands)
        elif kind == "not_op":  # `not (a == b)` rather than `not a == b`, which reads as `(not a) == b`
            operand = children[0]
            comparison = isinstance(operand, Tree) and operand.data in ("compare", "in_op")
            text = f"not {self.expr(operand, 5 if comparison else 3)}"
        elif kind == "compare":
            text = f"{self.expr(children[0], 5)} {children[1]} {self.expr(children[2], 5)}"
        elif kind == "in_op":
            options = children[1]
            assert isinstance(options, Tree)
            text = f"{self.expr(children[0], 5)} in [{', '.join(self.expr(o, 5) for o in options.children)}]"
        elif kind in ("crosses", "enters", "exits"):
            text = f"{kind} {children[0]}"
        else:
            return self.value(node)
        precedence = _PRECEDENCE.get(kind, 5)
        if kind == "and_op" and minimum == 1:  # `a and b or c` reads better as `(a and b) or c`
            return f"({text})"
        return f"({text})" if precedence < minimum else text

    def or_operand(self, node: Node) -> str:
        text = self.expr(node, 2)
        if isinstance(node, Tree) and node.data == "and_op" and not text.startswith("("):
            return f"({text})"
        return text


def _chain(node: Tree[Token]) -> list[Node]:
    """The operands of a left-recursive `a or b or c` (or `and`) chain, without recursion."""
    operands: list[Node] = []
    current: Node = node
    while isinstance(current, Tree) and current.data == node.data:
        operands.append(current.children[1])
        current = current.children[0]
    operands.append(current)
    return operands[::-1]


def _brace_after(source: str, start: int) -> int:
    """Offset of the first `{` after `start` that is not in a comment."""
    for match in re.finditer(r"#[^\n]*|\{", source[start:]):
        if match.group() == "{":
            return start + match.start()
    raise AssertionError("a block without `{`")


def _has_block(member: Tree[Token]) -> bool:
    last = member.children[-1]
    return isinstance(last, Tree) and last.data == "block"


def _is_bare_role(role: Tree[Token]) -> bool:
    """`security_lead` rather than `[security_lead]` (a one-item list keeps its brackets)."""
    token = role.children[0]
    return isinstance(token, Token) and role.meta.start_pos == token.start_pos


def _end_line(node: Node) -> int:
    return (node.end_line or 0) if isinstance(node, Token) else node.meta.end_line


def _without_strings(text: str) -> str:
    return _STRING.sub('""', text)
