"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

One run; the driver lists every lint rule (name, descriptions, help text, help URI, default level)
plus the validation codes that occur; results point at `.tm` lines with paths relative to the
source root (`%SRCROOT%`), so code scanning annotates the model files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.lint.registry import all_rules, help_uri
from tmdiag.version import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
_VALIDATION_FAMILIES = {
    "E0": "Syntax error",
    "E1": "Name error",
    "E2": "Attribute error",
    "E3": "Import error",
    "E4": "Risk decision or rule error",
}


def _uri(path: str, root: Path) -> str:
    """A relative, forward-slash, percent-encoded URI reference when the file is under `root`;
    else a file: URI. Diagnostics name files relative to the working directory (`../x.tm` too)."""
    candidate = Path(path).resolve()
    try:
        return quote(candidate.relative_to(root.resolve()).as_posix())
    except ValueError:
        return candidate.as_uri()


def _folder_uri(root: Path) -> str:
    """The source root as a file: URI ending in one slash (`file:///` for `/`, not `file:////`)."""
    uri = root.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _rule_descriptors() -> list[dict[str, Any]]:
    descriptors = []
    for rule in all_rules():
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.rationale},
                "help": {
                    "text": f"{rule.rationale}\n\nHow to fix: {rule.fix}",
                    "markdown": f"{rule.rationale}\n\n**How to fix:** {rule.fix}\n\n"
                    f"Example that triggers it:\n\n```\n{rule.example}```\n",
                },
                "helpUri": help_uri(rule.code),
                "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                "properties": {
                    "tags": ["security", "threat-model", rule.family_title.lower()],
                    "security-severity": _SECURITY_SEVERITY[rule.severity],  # GitHub's critical/high/medium/low
                },
            }
        )
    return descriptors


def _validation_descriptor(code: str) -> dict[str, Any]:
    title = _VALIDATION_FAMILIES.get(code[:2], "Model error")
    return {
        "id": code,
        "name": f"model-{code.lower()}",
        "shortDescription": {"text": f"{title} in a .tm model."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["threat-model"]},
    }


def _plain(text: str) -> str:
    """Message text with SARIF's embedded-link syntax escaped: literal square brackets get a backslash."""
    return text.replace("[", "\\[").replace("]", "\\]")


def _result(d: Diagnostic, index: int, root: Path) -> dict[str, Any]:
    span = d.span
    message = _plain(d.message) + (f"\nHelp: {_plain(d.hint)}" if d.hint else "")
    if d.related:  # GitHub shows related locations only where the message links them: `[text](id)`
        message += "\nSee " + ", ".join(f"[{_plain(note)}]({n})" for n, (note, _) in enumerate(d.related)) + "."
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": _LEVELS[d.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(span.path, root), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": span.line,
                        "startColumn": span.column,
                        "endLine": max(span.end_line, span.line),
                        "endColumn": span.end_column
                        if span.end_line > span.line
                        else max(span.end_column, span.column + 1),
                    },
                },
            }
        ],
    }
    if d.related:
        result["relatedLocations"] = [_related(n, note, where, root) for n, (note, where) in enumerate(d.related)]
    return result


def _related(number: int, note: str, where: Span, root: Path) -> dict[str, Any]:
    """A related place in a file, or a named resource outside any file (a cloud ARN) as a logical location."""
    location: dict[str, Any] = {"id": number, "message": {"text": note}}
    if where.in_file:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": _uri(where.path, root), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": where.line, "startColumn": where.column},
        }
    else:
        location["logicalLocations"] = [{"fullyQualifiedName": where.path, "kind": "resource"}]
    return location


def render_sarif(diagnostics: Iterable[Diagnostic], root: Path | None = None) -> str:
    """A SARIF 2.1.0 log as JSON text (deterministic: rules by code, results in input order)."""
    root = root or Path(os.getcwd())
    found = list(diagnostics)
    rules = _rule_descriptors()
    known = {r["id"] for r in rules}
    rules += [_validation_descriptor(c) for c in sorted({d.code for d in found} - known)]
    index = {r["id"]: n for n, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tmdiag",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": help_uri("index").replace("index.md", ""),
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _folder_uri(root)}},
                "results": [_result(d, index[d.code], root) for d in found],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
