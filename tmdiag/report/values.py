"""Plain values for templates: risk levels, statuses, and how model values read as text."""

from __future__ import annotations

import datetime
from typing import Any

from tmdiag.model.levels import RiskLevel, Status

RISKS = tuple(level.value for level in RiskLevel.highest_first())  # critical … info: by severity, never by name
SEVERE_RISKS = tuple(level.value for level in RiskLevel.highest_first() if level.severe)
STATUSES = tuple(status.value for status in Status)


def plain(value: Any) -> str:
    """A model value as text: lists joined, booleans as yes/no, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text_of(value: Any) -> str:
    """Text for a free-form value (None and missing become "")."""
    return "" if value is None else plain(value)
