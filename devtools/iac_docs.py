"""The mapping table of docs/iac.md, generated from `tmdiag.iac.mapping.ROWS` (`make docs`)."""

from __future__ import annotations

import re
from pathlib import Path

from tmdiag.iac.mapping import ROWS, Row

DOCUMENT = Path("docs/iac.md")
_BLOCK = re.compile(r"(<!-- BEGIN mapping -->\n).*?(<!-- END mapping -->)", re.DOTALL)
_ROLES = {"element": "element", "boundary": "boundary", "part": "part", "group": "security group",
          "account": "account", "flow": "flow", "support": "read, not drawn"}  # fmt: skip


def _cell(row: Row) -> str:
    if row.role == "element":
        drawn = f"`{row.kind}`" + "".join(f", `{k}: {v}`" for k, v in row.draft)
    elif row.role == "boundary":
        drawn = f"boundary `kind: {row.kind}`"
    elif row.role == "part":
        drawn = "part of what `" + "`, `".join(row.part_of) + "` references"
    elif row.role == "flow":
        drawn = f"flow `{row.flow[0]}` → `{row.flow[1]}`"
    elif row.role == "account":
        drawn = "linked from the account boundary"
    elif row.role == "group":
        drawn = "its ingress rules count for what lists it"
    else:
        drawn = "listed at the end of the draft"
    return drawn


def table() -> str:
    rows = ["| Terraform type | role | drawn as | facts read (`fact ← reader`) |", "|---|---|---|---|"]
    for row in ROWS:
        facts = "<br>".join(f"`{name}` ← `{reader}`" for name, reader in row.facts)
        if row.groups:
            facts = "<br>".join(
                filter(None, [facts, "`ingress` ← security groups in `" + "`, `".join(row.groups) + "`"])
            )
        escaped = facts.replace("|", "\\|")  # a pipe inside a table cell, even in code
        rows.append(f"| `{row.type}` | {_ROLES[row.role]} | {_cell(row)} | {escaped} |")
    return "\n".join(rows) + "\n"


def render(text: str) -> str:
    return _BLOCK.sub(lambda m: f"{m.group(1)}\n{table()}\n{m.group(2)}", text)


def files(root: Path) -> dict[Path, str]:
    return {DOCUMENT: render((root / DOCUMENT).read_text(encoding="utf-8"))}
