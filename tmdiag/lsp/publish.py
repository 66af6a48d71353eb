"""Diagnostics as LSP JSON, written straight to the client.

A big model can carry thousands of lint findings, republished after every keystroke. Building
lsprotocol objects and unstructuring them with cattrs costs ~40 µs per diagnostic; here everything
but the range is encoded once per diagnostic and reused while the diagnostic lives, and the range
is a string format. The message goes out through the protocol's writer, framed like pygls frames it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.lsp.positions import LineIndex

SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
_WRITING: set[asyncio.Future[object]] = set()
Locate = Callable[[Span], tuple[str, str]]  # span → (uri, range JSON), for related information


class Encoder:
    def __init__(self) -> None:
        self._rest: dict[int, tuple[Diagnostic, str]] = {}
        self._used: dict[int, tuple[Diagnostic, str]] = {}

    def encode(self, d: Diagnostic, span: Span, lines: LineIndex, locate: Locate) -> str:
        """One diagnostic at `span` (its own span, or where its chunk has moved since)."""
        if d.related or (d.fix is not None and d.fix.span is not None):
            encoded = rest(d, locate)
        else:
            cached = self._rest.get(id(d))
            if cached is None or cached[0] is not d:
                cached = (d, rest(d, locate))
            self._used[id(d)] = cached
            encoded = cached[1]
        return '{"range":' + range_json(lines, span) + "," + encoded + "}"

    def done(self) -> None:
        """Forget diagnostics that were not encoded since the last call."""
        self._rest, self._used = self._used, {}


def range_json(lines: LineIndex, span: Span) -> str:
    start_line, start = lines.position_units(span.line, span.column)
    end_line, end = lines.position_units(span.end_line, span.end_column)
    return f'{{"start":{{"line":{start_line},"character":{start}}},"end":{{"line":{end_line},"character":{end}}}}}'


def rest(d: Diagnostic, locate: Locate) -> str:
    fields: dict[str, object] = {
        "message": d.message + (f"\n{d.hint}" if d.hint else ""),
        "severity": SEVERITY.get(d.severity, 1),
        "code": d.code,
        "source": "tmdiag",
    }
    if d.code.startswith("TM"):
        from tmdiag.lint.registry import help_uri

        fields["codeDescription"] = {"href": help_uri(d.code)}
    text = json.dumps(fields)[1:-1]
    if d.related:
        related = []
        for note, where in d.related:
            uri, where_range = locate(where)
            related.append(
                f'{{"location":{{"uri":{json.dumps(uri)},"range":{where_range}}},"message":{json.dumps(note)}}}'
            )
        text += ',"relatedInformation":[' + ",".join(related) + "]"
    if d.fix is not None:  # read back by the quick-fix handler; no range: the diagnostic's own
        fix_range = f',"range":{locate(d.fix.span)[1]}' if d.fix.span is not None else ""
        title = f',"title":{json.dumps(d.fix.label)}' if d.fix.label else ""
        text += f',"data":{{"fix":{{"replacement":{json.dumps(d.fix.replacement)}{fix_range}{title}}}}}'
    return text


def send_diagnostics(writer: object, uri: str, version: int | None, items: list[str]) -> bool:
    """Write a publishDiagnostics notification; False if there is no writer to write to."""
    if getattr(writer, "write", None) is None:
        return False
    body = (
        '{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":'
        + json.dumps(uri)
        + ',"version":'
        + json.dumps(version)
        + ',"diagnostics":['
        + ",".join(items)
        + "]}}"
    ).encode("utf-8")
    write_frame(writer, body)
    return True


def write_frame(writer: object, body: bytes) -> None:
    """Write one JSON-RPC message (its body, UTF-8) framed as pygls frames it."""
    header = f"Content-Length: {len(body)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
    result = writer.write(header.encode("ascii") + body)  # type: ignore[attr-defined]
    if inspect.isawaitable(result):  # an async transport (websockets): keep the task until it is done
        task = asyncio.ensure_future(result)
        _WRITING.add(task)
        task.add_done_callback(_WRITING.discard)
