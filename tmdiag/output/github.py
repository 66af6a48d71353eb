"""GitHub Actions workflow annotations: `::error file=…,line=…,col=…,title=…::message`."""

from __future__ import annotations

from collections.abc import Iterable

from tmdiag.diagnostics import Diagnostic, Severity

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    s = d.span
    props = [f"file={_property(s.path)}", f"line={s.line}", f"col={s.column}"]
    if s.end_line == s.line:  # GitHub takes an end column only on single-line ranges
        props.append(f"endColumn={s.end_column}")
    elif s.end_line > s.line:
        props.append(f"endLine={s.end_line}")
    props.append(f"title={_property(f'tmdiag {d.code}')}")
    message = d.message + (f"\nhelp: {d.hint}" if d.hint else "")
    for note, where in d.related:
        message += f"\nnote: {note}: " + (f"{where.path}:{where.line}:{where.column}" if where.in_file else where.path)
    return f"::{_COMMANDS[d.severity]} {','.join(props)}::{_data(message)}"


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(annotation(d) + "\n" for d in diagnostics)
