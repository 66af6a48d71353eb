"""Inline suppressions back from OTM: `tmdiag export --to otm` keeps each `# tmdiag: ignore[…]
reason: …` comment on the object of the statement it covers (`tmdiag:suppressions`, a JSON list of
`{rules, reason, attribute?}`); the importer writes the comment back before that statement, or
before the attribute line it covered, so the imported model's register is the exported one's.

The input is untrusted: rule codes must be codes, reasons are folded onto one line (a comment
cannot end early and become a statement).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

KEY = "tmdiag:suppressions"
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
MAX_REASON = 2000


@dataclass
class Comments:
    """Suppression comments for one statement: before it, and before some of its attribute lines."""

    statement: list[str] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def place(self, lines: list[str]) -> list[str]:
        """`key: value` lines with the comments of each attribute before it. Comments for an
        attribute that is not there go before the statement instead."""
        out: list[str] = []
        placed: set[str] = set()
        for line in lines:
            key = line.partition(":")[0].strip()
            if key in self.attributes and key not in placed:
                out += self.attributes[key]
                placed.add(key)
            out.append(line)
        for key, comments in self.attributes.items():
            if key not in placed:
                self.statement += comments
        self.attributes = {}
        return out

    def before(self, text: str, indent: str = "") -> str:
        """The statement's text with its comments on the lines before it."""
        return "".join(f"{indent}{c}\n" for c in self.statement) + text


def read(attributes: Any, report: Callable[[str], None]) -> Comments:
    """The comments an OTM object's attributes carry; `report` is told what was left out and why."""
    found = Comments()
    raw = attributes.get(KEY) if isinstance(attributes, dict) else None
    if raw is None:
        return found
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except (json.JSONDecodeError, RecursionError):
        items = None
    if not isinstance(items, list):
        report(f"`{KEY}` should be a JSON list of suppressions; left out")
        return found
    for item in items:
        rules = item.get("rules") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        attribute = item.get("attribute") if isinstance(item, dict) else None
        if (
            not isinstance(rules, list)
            or not rules
            or not all(isinstance(r, str) and _CODE.fullmatch(r) for r in rules)
            or not isinstance(reason, str)
            or not (attribute is None or (isinstance(attribute, str) and _CODE.fullmatch(attribute)))
        ):
            report(f"a suppression in `{KEY}` needs `rules` (codes) and a `reason` (text); left out")
            continue
        text = _UNPRINTABLE.sub(" ", reason)[:MAX_REASON].strip()
        comment = f"# tmdiag: ignore[{', '.join(rules)}] reason: {text}".rstrip()
        if attribute is None:
            found.statement.append(comment)
        else:
            found.attributes.setdefault(attribute, []).append(comment)
    return found
