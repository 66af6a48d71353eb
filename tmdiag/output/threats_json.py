"""The threats JSON document: what `tmdiag threats --format json` prints and the report's
threats.json holds. One shape, described by docs/schemas/threats.schema.json.

The threat catalogue's long texts (description, details, mitigations, references) are written
once under `catalogue`; findings refer to them by `threat_id`. Written as it goes, one finding
per line (the C encoder does each line), so a big register never exists as one string.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from tmdiag.diagnostics import Diagnostic
from tmdiag.model.nodes import Duration, Model
from tmdiag.output.diagnostics import to_dict as diagnostic_dict
from tmdiag.results import Finding, Summary, catalogue

FORMAT_VERSION = 2
CHUNK = 2000  # items per write


def model_dict(model: Model, today: datetime.date) -> dict[str, Any]:
    """The model a register belongs to: where, what, how big, and its review status on `today`."""
    info = model.info
    version = info.get("version") if info is not None else None
    return {
        "path": model.path, "title": model.name, "version": None if version is None else str(version),
        "elements": len(model.elements), "flows": len(model.flows), "boundaries": len(model.boundaries),
        "data": len(model.data), "review": review(model, today),
    }  # fmt: skip


def review(model: Model, today: datetime.date) -> dict[str, Any]:
    """When the model was last reviewed, when the next review is due, and whether it is overdue."""
    info = model.info
    reviewed = info.get("reviewed") if info is not None else None
    every = info.get("review_every") if info is not None else None
    reviewed = reviewed if isinstance(reviewed, datetime.date) else None
    next_due = None
    if reviewed is not None and isinstance(every, Duration):
        next_due = every.after(reviewed)
    overdue = next_due is not None and next_due < today
    return {
        "last": reviewed.isoformat() if reviewed else None,
        "every": str(every) if every is not None else None,
        "next_due": next_due.isoformat() if next_due else None,
        "overdue": overdue,
        "days_overdue": (today - next_due).days if overdue and next_due else 0,
        "today": today.isoformat(),
        "status": "never reviewed" if not reviewed else ("overdue" if overdue else "current"),
    }


def write(
    out: TextIO,
    model: Model,
    today: datetime.date,
    findings: Sequence[Finding],
    *,
    summary: Summary | None = None,
    excluded: Sequence[Finding] = (),
    diagnostics: Iterable[Diagnostic] = (),
) -> None:
    """Write the document. `summary` counts the whole register when `findings` is a filtered view."""

    dump = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # as json.dumps, without a new encoder each time
    counts = summary if summary is not None else Summary.of(findings)
    out.write("{\n")
    out.write(f'  "format_version": {FORMAT_VERSION},\n')
    out.write(f'  "model": {dump(model_dict(model, today))},\n')
    out.write(f'  "summary": {json.dumps(counts.to_dict())},\n')  # levels highest first, not sorted by name
    entries = catalogue(findings, excluded)
    _write_table(out, "catalogue", [(tid, threat.to_dict()) for tid, threat in sorted(entries.items())], dump)
    _write_list(out, "findings", (f.to_dict() for f in findings), dump)
    _write_list(out, "excluded", (f.to_dict() for f in excluded), dump)
    _write_list(out, "diagnostics", (diagnostic_dict(d) for d in diagnostics), dump, last=True)
    out.write("}\n")


def render(model: Model, today: datetime.date, findings: Sequence[Finding], **options: Any) -> str:
    buffer = io.StringIO()
    write(buffer, model, today, findings, **options)
    return buffer.getvalue()


def _write_table(out: TextIO, key: str, rows: list[tuple[str, Any]], dump: Any) -> None:
    if not rows:
        out.write(f'  "{key}": {{}},\n')
        return
    out.write(f'  "{key}": {{\n')
    out.write(",\n".join(f"    {dump(name)}: {dump(value)}" for name, value in rows))
    out.write("\n  },\n")


def _write_list(out: TextIO, key: str, items: Iterable[Any], dump: Any, last: bool = False) -> None:
    """`"key": [` and one item per line, written a chunk at a time (a write per item is slow when
    the stream is unbuffered)."""
    end = "\n" if last else ",\n"
    lines: list[str] = []
    opened = False

    def flush() -> None:
        nonlocal opened
        out.write((",\n    " if opened else f'  "{key}": [\n    ') + ",\n    ".join(lines))
        opened = True
        lines.clear()

    for item in items:
        lines.append(dump(item))
        if len(lines) == CHUNK:
            flush()
    if lines:
        flush()
    out.write(f"\n  ]{end}" if opened else f'  "{key}": []{end}')
