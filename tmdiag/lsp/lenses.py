"""Code lenses: above every element and flow of the document, its open threats by risk level
("3 open threats: 1 high · 2 medium"); clicking one runs `tmdiag.showThreats`, which lists them."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types

from tmdiag.diagnostics import Span
from tmdiag.lsp.hover import ThreatCounts, plural
from tmdiag.model import nodes as n

SHOW_THREATS = "tmdiag.showThreats"


def title(count: int, levels: tuple[tuple[str, int], ...]) -> str:
    if not count:
        return "no open threats"
    return f"{plural(count, 'open threat')}: " + " · ".join(f"{number} {level}" for level, number in levels)


def lenses(
    model: n.Model, path: str, uri: str, threats: ThreatCounts | None, to_range: Callable[[Span], types.Range]
) -> list[types.CodeLens]:
    """One lens per element and flow declared in `path`; none before the first analysis has finished."""
    if threats is None or (threats.state != "done" and not threats.by_target):
        return []
    updating = " (updating…)" if threats.state == "running" else ""
    found = []
    targets: list[n.Node] = [*model.elements, *model.flows]
    for node in targets:
        if node.span.path != path:
            continue
        own = threats.of(node.id)
        start = to_range(node.span).start
        found.append(
            types.CodeLens(
                range=types.Range(start, start),
                command=types.Command(title(own.total, own.levels) + updating, SHOW_THREATS, arguments=[uri, node.id]),
            )
        )
    return found


def listing(target: str, threats: ThreatCounts | None) -> str:
    """What `tmdiag.showThreats` shows for one element or flow."""
    if threats is None:
        return f"`{target}`: threats are not analysed (the server runs with --no-threats)"
    own = threats.of(target)
    if not own.total:
        return f"`{target}`: no open threats"
    return f"`{target}`: {title(own.total, own.levels)}\n" + "\n".join(f"- {line}" for line in own.lines)
