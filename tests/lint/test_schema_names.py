"""Rules read attributes by name through `node.get(...)`; every name they use must be in the schema."""

from __future__ import annotations

import ast
from pathlib import Path

import tmdiag.lint
from tmdiag.model import schema

LINT = Path(tmdiag.lint.__file__).parent
READERS = {"get", "has", "attribute", "flag", "attribute_span", "data_of"}


def attribute_names_used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in [LINT / "facts.py", *sorted((LINT / "rules").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name not in READERS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    used.setdefault(arg.value, set()).add(f"{path.relative_to(LINT)}:{node.lineno}")
    return used


def test_every_attribute_a_rule_reads_is_in_the_schema() -> None:
    known = {attr.name for specs in schema.SCHEMAS.values() for attr in specs}
    used = attribute_names_used()
    assert {"encrypted", "tls", "ingress", "audit_log", "content_filtering"} <= set(used)  # the scan sees them
    unknown = {name: sorted(where) for name, where in used.items() if name not in known}
    assert not unknown, f"rules read attributes the schema does not define: {unknown}"


def test_role_groups_are_schema_roles() -> None:
    from tmdiag.lint.rules.model import ROLE_GROUPS

    assert {role for roles in ROLE_GROUPS.values() for role in roles} <= set(schema.ROLES)
