"""pytm's threat library as data: ids, titles and ratings, read from its JSON file.

Reading the file does not import pytm (that is the threats adapter's job), so `check` stays fast.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ThreatInfo:
    id: str
    title: str
    targets: tuple[str, ...]
    severity: str
    likelihood: str
    details: str
    mitigations: str
    references: str
    condition: str
    deprecated: str = ""  # why pytm retired it (pytm does not load deprecated threats)


_LINT_CODE = re.compile(r"TM[0-9]{3}")


def is_lint_code(text: object) -> bool:
    """`TMnnn`: a lint rule's code. Decisions, controls and assumptions may name lint findings by it;
    the register reports a code no rule has (E406), as it reports decisions that match nothing."""
    return isinstance(text, str) and _LINT_CODE.fullmatch(text) is not None


def library_path() -> Path:
    spec = importlib.util.find_spec("pytm")
    if spec is None or spec.origin is None:
        raise RuntimeError("pytm is not installed")
    return Path(spec.origin).parent / "threatlib" / "threats.json"


@functools.cache
def catalogue() -> dict[str, ThreatInfo]:
    entries = json.loads(library_path().read_text(encoding="utf-8"))
    result: dict[str, ThreatInfo] = {}
    for entry in entries:
        targets = entry.get("target", ())
        result[entry["SID"]] = ThreatInfo(
            id=entry["SID"],
            title=entry.get("description", ""),
            targets=tuple([targets] if isinstance(targets, str) else targets),
            severity=entry.get("severity", ""),
            likelihood=entry.get("Likelihood Of Attack", ""),
            details=entry.get("details", ""),
            mitigations=entry.get("mitigations", ""),
            references=entry.get("references", ""),
            condition=entry.get("condition", ""),
            deprecated=entry.get("DEPRECATED", ""),
        )
    return result
