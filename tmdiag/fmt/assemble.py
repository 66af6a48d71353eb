"""From laid-out lines to text: put comments back, settle blank lines, align columns.

Comments are not in the parse tree. A comment that followed code on its source line stays at the
end of the output line holding the first code of that source line (so a suppression stays on the
first line of its statement when a long one-line block is opened up); a comment on a line of its
own goes on a line of its own just before the code that followed it (indented like that code, or
one level deeper when the code is a closing `}`/`]`). Their order never changes.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from tmdiag.fmt.layout import INDENT, Line
from tmdiag.lint.suppress import is_suppression
from tmdiag.syntax import Comment


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def pinned_lines(source: str, comments: Sequence[Comment]) -> frozenset[int]:
    """Source lines that end in a suppression after code: the layout keeps what they hold together."""
    lines = source.split("\n")
    return frozenset(
        c.span.line for c in comments if is_suppression(c.text) and lines[c.span.line - 1][: c.span.column - 1].strip()
    )


def place_comments(
    lines: list[Line], comments: Sequence[Comment], source: str, blank_before: Callable[[int], bool]
) -> list[Line]:
    """`lines` with comment lines inserted and trailing comments set."""
    if not comments:
        return lines
    starts = _line_starts(source)
    index = sorted((offset, number) for number, line in enumerate(lines) for offset in line.anchors)
    offsets = [offset for offset, _ in index]
    # target line -> (comment text, trailing?, blank line before it?) in source order
    assigned: dict[int, list[tuple[str, bool, bool]]] = {}
    last = (-1, 0)  # (line, 0 above it | 1 at its end) of the previous comment: order never changes
    for comment in comments:
        line_start = starts[comment.span.line - 1]
        offset = line_start + comment.span.column - 1
        position = bisect.bisect_left(offsets, offset)
        trailing = bool(source[line_start:offset].strip()) and position > 0
        if trailing:
            target = _first_code(index, source, bisect.bisect_left(offsets, line_start), position)
        else:
            target = index[position][1] if position < len(index) else len(lines)
        place = (target, int(trailing))
        if not trailing and _splits_suppression(assigned.get(target), lines, target, offset, comment.text):
            place = (target + 1, 0)  # after the line, not between a suppression and what it covers
        if place < last:  # code joined from several source lines would put it before an earlier comment
            place = (last[0], 0) if last[1] == 0 else (last[0] + 1, 0)
            trailing = False
        last = place
        blank = not trailing and blank_before(offset)
        assigned.setdefault(place[0], []).append((comment.text.rstrip(), trailing, blank))
    result: list[Line] = []
    for number in range(len(lines) + 1):
        line = lines[number] if number < len(lines) else None
        found = assigned.get(number, [])
        # One trailing comment, after everything else that belongs here, stays at the line's end;
        # several (code joined from several source lines) go above the line, in their order.
        keep = line is not None and found and found[-1][1] and sum(t for _, t, _ in found) == 1
        for text, _, blank in found[:-1] if keep else found:
            result.append(_comment_line(text, line, blank))
        if line is not None:
            if keep:
                line.comment = found[-1][0]
            result.append(line)
    return result


def _splits_suppression(
    before: list[tuple[str, bool, bool]] | None, lines: list[Line], target: int, offset: int, text: str
) -> bool:
    """Whether a comment on a line of its own, from inside the code of output line `target` (a
    statement whose parts were on several source lines), would land between that line and the
    suppression just above it: the suppression would then cover the comment, not the statement."""
    if not before or before[-1][1] or not is_suppression(before[-1][0]) or is_suppression(text):
        return False
    return target < len(lines) and bool(lines[target].anchors) and min(lines[target].anchors) < offset


def _first_code(index: list[tuple[int, int]], source: str, first: int, end: int) -> int:
    """The output line of the first code on a trailing comment's source line that opens something
    (not a `}`, `]` or `,` closing what came before): when a long line is opened up, its comment
    stays with the statement it began with (`a -> b "…" {  # tmdiag: ignore[…]`)."""
    for offset, line in index[first:end]:
        if source[offset] not in "}],":
            return line
    return index[end - 1][1]


def _comment_line(text: str, reference: Line | None, blank: bool) -> Line:
    indent = 0 if reference is None else reference.indent + (1 if reference.closer else 0)
    return Line(indent, [text], blank_before=blank, standalone=True)


def settle_blank_lines(lines: list[Line]) -> None:
    """At most one blank line; one between sections; none at the start, after `{` or before `}`."""
    for number, line in enumerate(lines):
        if line.force_blank:
            gap = number
            while gap > 0 and lines[gap - 1].standalone:
                gap -= 1
            if not any(lines[i].blank_before for i in range(gap, number + 1)):
                lines[gap].blank_before = True
    for number, line in enumerate(lines):
        if number == 0 or line.closer or lines[number - 1].opener:
            line.blank_before = False


def _runs(lines: list[Line]) -> list[list[Line]]:
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        alignable = line.align is not None and not line.opener and len(line.cells) == 3
        joins = (
            alignable and current and not line.blank_before
            and current[-1].align == line.align and current[-1].indent == line.indent
        )  # fmt: skip
        if joins:
            current.append(line)
            continue
        if len(current) > 1:
            runs.append(current)
        current = [line] if alignable else []
    if len(current) > 1:
        runs.append(current)
    return runs


def _align(run: list[Line]) -> dict[int, str]:
    head = max(len(line.cells[0]) for line in run)
    labels = max(len(line.cells[1]) for line in run)
    texts = {}
    for line in run:
        text = line.cells[0].ljust(head)
        if labels:
            text += " " + line.cells[1].ljust(labels)
        if line.cells[2]:
            text += " " + line.cells[2]
        texts[id(line)] = text.rstrip()
    commented = [len(texts[id(line)]) for line in run if line.comment is not None]
    if len(commented) > 1:  # trailing comments of a run line up too
        for line in run:
            if line.comment is not None:
                texts[id(line)] = texts[id(line)].ljust(max(commented))
    return texts


def render(lines: list[Line]) -> str:
    aligned: dict[int, str] = {}
    for run in _runs(lines):
        aligned.update(_align(run))
    out: list[str] = []
    for line in lines:
        if line.blank_before:
            out.append("")
        text = aligned.get(id(line), line.text())
        if line.comment is not None:
            text = f"{text}  {line.comment}" if text else line.comment
        out.append((INDENT * line.indent + text).rstrip())
    return "\n".join(out) + "\n" if out else ""
