"""A bare LSP client, run as a measured process: open a model, type, report latencies as JSON.

    python lsp_client.py MODEL TMDIAG [--edits N] [--typing N] [--no-threats]
    python lsp_client.py MODEL TMDIAG --hover-during-format [--no-threats]

Starts `TMDIAG lsp` (threats on unless --no-threats), opens MODEL, waits for the first
`publishDiagnostics` (open latency) and for the first lint results, then sends one-line edits
(`didChange`, incremental) at typing speed and times each until the diagnostics of that version
arrive; then types a new flow line of N characters one keystroke at a time (--typing, default 60)
and times each the same way; then times `semanticTokens/full` (the first request classifies every statement; then after
an edit) and `semanticTokens/range` (60 lines). With --hover-during-format it instead asks to
format the whole file and sends a hover every 0.3 s until the formatting arrives, timing each.
Prints one JSON object on its last line. Uses only the standard library.

The server does not publish diagnostics that did not change (the editor has them): after each
change the client sends a cheap request (`documentHighlight` on line 1), answered once the change
is processed, and an edit's time is the arrival of its diagnostics, else of that answer.
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

TYPING_GAP = 0.05  # s between keystrokes


class Client:
    """JSON-RPC over the server's stdio; records when each message arrived."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not length:
                return
            body = stream.read(length)
            arrived = time.perf_counter()  # before decoding: the client's JSON parsing is not the server's time
            self.messages.put((arrived, json.loads(body)))

    def send(self, message: dict[str, Any]) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def wait(self, method: str | None = None, id: int | None = None, version: int | None = None,
             timeout: float = 600) -> tuple[float, dict[str, Any]]:  # fmt: skip
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if id is None and method is None:  # the next message, whatever it is
                return at, message
            if id is not None and message.get("id") == id:
                return at, message
            same_version = version is None or message.get("params", {}).get("version") == version
            if method is not None and message.get("method") == method and same_version:
                return at, message

    def close(self) -> None:
        self.send({"id": 99, "method": "shutdown"})
        self.wait(id=99, timeout=60)
        self.send({"method": "exit"})
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


MARKER_ID = 10_000


def settle(client: Client, uri: str, version: int, sent: float) -> tuple[float, bool]:
    """(s from `sent` until the diagnostics of `version` are known to be current, whether they were sent)."""
    client.send({"id": MARKER_ID + version, "method": "textDocument/documentHighlight",
                 "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})  # fmt: skip
    published = None
    while True:
        at, message = client.wait(timeout=60)
        params = message.get("params") or {}
        if message.get("method") == "textDocument/publishDiagnostics" and params.get("version") == version:
            published = at if published is None else published
        elif message.get("id") == MARKER_ID + version:
            return (published if published is not None else at) - sent, published is not None


def change_at(client: Client, uri: str, version: int, text: str, start: int, end: int, new: str) -> float:
    change = {"range": {"start": position(text, start), "end": position(text, end)}, "text": new}
    return client.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})  # fmt: skip


def edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, new): a port typed over on a flow line in the middle, then a line inserted and removed."""
    middle = text.index("\n", len(text) // 2) + 1
    port = text.index("port: ", middle) + len("port: ")
    line_end = text.index("\n", port)
    return [(port, port + 3, "8443"), (port, port + 4, "443"), (line_end, line_end, "\n"), (line_end, line_end + 1, "")]


def position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    column = len(text[text.rfind("\n", 0, offset) + 1 : offset].encode("utf-16-le")) // 2
    return {"line": line, "character": column}


def percentiles(times: list[float], prefix: str) -> dict[str, float]:
    ordered = sorted(times)
    return {
        f"{prefix}_median_ms": 1000 * statistics.median(times),
        f"{prefix}_p90_ms": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))],
        f"{prefix}_max_ms": 1000 * ordered[-1],
    }


def opened(path: Path, tmdiag: str, threats: bool) -> tuple[Client, str, dict[str, float], dict[str, Any]]:
    """A server with MODEL open: (client, uri, open latencies, the last diagnostics message)."""
    text = path.read_text(encoding="utf-8")
    client = Client([tmdiag, "lsp", *([] if threats else ["--no-threats"])])
    client.send({"id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": path.parent.as_uri(), "capabilities": {}}})  # fmt: skip
    client.wait(id=1)
    client.send({"method": "initialized", "params": {}})
    uri = path.resolve().as_uri()
    item = {"uri": uri, "languageId": "tm", "version": 1, "text": text}
    sent = client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    arrived, message = client.wait("textDocument/publishDiagnostics", version=1)
    found = {"open_s": arrived - sent, "open_diagnostics": len(message["params"]["diagnostics"])}
    try:  # the first lint runs after open; typing starts once it is in
        while not any(str(d.get("code", "")).startswith("TM") for d in message["params"]["diagnostics"]):
            arrived, message = client.wait("textDocument/publishDiagnostics", version=1, timeout=120)
        found["open_to_lint_s"] = arrived - sent
        found["lint_diagnostics"] = len(message["params"]["diagnostics"])
    except queue.Empty:
        pass  # a model without lint findings
    return client, uri, found, message


TYPED = 'e1 -> e2 "typed here" { protocol: https, port: 8443, data: [card], encrypted: true }'


def measure(path: Path, tmdiag: str, n_edits: int, n_typed: int, threats: bool) -> dict[str, float]:
    text = path.read_text(encoding="utf-8")
    client, uri, found, _ = opened(path, tmdiag, threats)
    times: list[float] = []
    version = 1
    script = edits(text)
    published = 0
    for i in range(n_edits):
        start, end, new = script[i % len(script)]
        version += 1
        sent = change_at(client, uri, version, text, start, end, new)
        text = text[:start] + new + text[end:]
        elapsed, sent_diagnostics = settle(client, uri, version, sent)
        times.append(elapsed)
        published += sent_diagnostics
        time.sleep(TYPING_GAP)
    found.update(percentiles(times, "edit"))
    found["edit_publishes"] = published
    # a new flow line in the middle, typed one character at a time (broken until it is complete)
    at = text.index("\n", len(text) // 2) + 1
    keys = ([("\n", at)] + [(char, at + i) for i, char in enumerate(TYPED)])[:n_typed]
    times, published = [], 0
    for char, offset in keys:
        version += 1
        sent = change_at(client, uri, version, text, offset, offset, char)
        text = text[:offset] + char + text[offset:]
        elapsed, sent_diagnostics = settle(client, uri, version, sent)
        times.append(elapsed)
        published += sent_diagnostics
        time.sleep(TYPING_GAP)
    if times:
        found.update(percentiles(times, "typing"))
        found["typing_publishes"] = published
    found.update(semantic_tokens(client, uri, text, version))
    client.close()
    return found


def semantic_tokens(client: Client, uri: str, text: str, version: int) -> dict[str, float]:
    """`semanticTokens/full` first (every statement classified), then after edits; `/range` of 60 lines."""
    timed: dict[str, list[float]] = {"tokens_first": [], "tokens_after_edit": [], "tokens_range": []}
    document = {"textDocument": {"uri": uri}}

    def request(label: str, method: str, params: dict[str, Any], msg_id: int) -> None:
        sent = time.perf_counter()  # before writing: a fast reply may be read before send() returns
        client.send({"id": msg_id, "method": method, "params": params})
        arrived, reply = client.wait(id=msg_id, timeout=120)
        if not (reply.get("result") or {}).get("data"):
            raise RuntimeError(f"{method}: no tokens: {reply}")
        timed[label].append(arrived - sent)

    request("tokens_first", "textDocument/semanticTokens/full", document, 1000)
    script = edits(text)[:2]  # a port typed over, and back
    for i in range(10):
        start, end, new = script[i % 2]
        version += 1
        sent = change_at(client, uri, version, text, start, end, new)
        text = text[:start] + new + text[end:]
        settle(client, uri, version, sent)
        request("tokens_after_edit", "textDocument/semanticTokens/full", document, 1001 + 2 * i)
        line = text.count("\n", 0, start)
        screen = {"start": {"line": line, "character": 0}, "end": {"line": line + 60, "character": 0}}
        request("tokens_range", "textDocument/semanticTokens/range", {**document, "range": screen}, 1002 + 2 * i)
    found = {"tokens_first_ms": 1000 * timed["tokens_first"][0]}
    found.update(percentiles(timed["tokens_after_edit"], "tokens_after_edit"))
    found.update(percentiles(timed["tokens_range"], "tokens_range"))
    return found


def hover_during_format(path: Path, tmdiag: str, threats: bool) -> dict[str, float]:
    """Hovers sent every 0.3 s while the whole file is formatted (in the server's worker process)."""
    client, uri, found, _ = opened(path, tmdiag, threats)
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if " -> " in line and i > len(lines) // 2)
    hover = {"textDocument": {"uri": uri}, "position": {"line": row, "character": 1}}
    options = {"tabSize": 2, "insertSpaces": True}
    started = client.send({"id": 50, "method": "textDocument/formatting",
                           "params": {"textDocument": {"uri": uri}, "options": options}})  # fmt: skip
    times: list[float] = []
    formatted_at: float | None = None
    msg_id = 200
    while formatted_at is None:
        time.sleep(0.3)
        msg_id += 1
        sent = time.perf_counter()  # before writing: a fast reply may be read before send() returns
        client.send({"id": msg_id, "method": "textDocument/hover", "params": hover})
        while True:
            arrived, message = client.wait(timeout=600)
            if message.get("id") == 50:
                formatted_at = arrived
            elif message.get("id") == msg_id:
                if formatted_at is None:
                    times.append(arrived - sent)
                break
    client.close()
    found.update({"format_s": formatted_at - started, "hovers": len(times)})
    if times:
        found.update(percentiles(times, "hover_during_format"))
    return found


def main() -> int:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("model", type=Path)
    cli.add_argument("tmdiag")
    cli.add_argument("--edits", type=int, default=40)
    cli.add_argument("--typing", type=int, default=len(TYPED) + 1, help="characters of a new line typed one at a time")
    cli.add_argument("--no-threats", action="store_true")
    cli.add_argument("--hover-during-format", action="store_true")
    args = cli.parse_args()
    if args.hover_during_format:
        print(json.dumps(hover_during_format(args.model, args.tmdiag, not args.no_threats)))
    else:
        print(json.dumps(measure(args.model, args.tmdiag, args.edits, args.typing, not args.no_threats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
