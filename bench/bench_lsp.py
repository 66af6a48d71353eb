"""Language server latency: from a one-line edit to published diagnostics (target: < 100 ms at 3,000
elements).

Full cycle: a client starts `python -m tmdiag lsp --no-threats`, opens the generated model, then
sends one-line edits (`textDocument/didChange`, incremental) at typing speed and times each until the
`textDocument/publishDiagnostics` of that version arrives. Breakdown: the same edits in process,
stage by stage. pytm never runs on an edit (threats run in a child process on open/save/idle).
"""

from __future__ import annotations

import gc
import json
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from generate import system, to_tm

EDITS = 40
TYPING_GAP = 0.05  # s between keystrokes


class Client:
    """A bare JSON-RPC client on the server's stdio; records when each message arrived."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tmdiag", "lsp", "--no-threats"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
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
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def wait(self, method: str | None = None, id: int | None = None, version: int | None = None,
             timeout: float = 600) -> tuple[float, dict[str, Any]]:  # fmt: skip
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if id is not None and message.get("id") == id:
                return at, message
            same_version = version is None or message.get("params", {}).get("version") == version
            if method is not None and message.get("method") == method and same_version:
                return at, message

    def close(self) -> None:
        self.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
        self.wait(id=99, timeout=30)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def edits(text: str) -> list[tuple[str, int, int, str]]:
    """(label, start, end, new): a value typed over on a flow line, a new line, a character in an id."""
    middle = text.index("\n", len(text) // 2) + 1
    port = text.index("port: ", middle) + len("port: ")
    line_end = text.index("\n", port)
    return [("value", port, port + 3, "8443"), ("value", port, port + 4, "443"),
            ("newline", line_end, line_end, "\n"), ("newline", line_end, line_end + 1, "")]  # fmt: skip


def position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    return {"line": line, "character": len(text[text.rfind("\n", 0, offset) + 1 : offset].encode("utf-16-le")) // 2}


def full_cycle(text: str, uri: str) -> tuple[float, dict[str, list[float]]]:
    client = Client()
    client.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": Path.cwd().as_uri(), "capabilities": {}}})  # fmt: skip
    client.wait(id=1)
    client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    item = {"uri": uri, "languageId": "tm", "version": 1, "text": text}
    sent = client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}})
    arrived, _ = client.wait("textDocument/publishDiagnostics", version=1)
    opened = arrived - sent
    while True:  # the first lint runs in the background after open: let it finish before typing
        _, message = client.wait("textDocument/publishDiagnostics", version=1)
        if any(str(d.get("code", "")).startswith("TM") for d in message["params"]["diagnostics"]):
            break
    times: dict[str, list[float]] = {}
    version = 1
    script = edits(text)
    for i in range(EDITS):
        label, start, end, new = script[i % len(script)]
        change = {"range": {"start": position(text, start), "end": position(text, end)}, "text": new}
        text = text[:start] + new + text[end:]
        version += 1
        sent = client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})  # fmt: skip
        arrived, _ = client.wait("textDocument/publishDiagnostics", version=version, timeout=60)
        times.setdefault(label, []).append(arrived - sent)
        time.sleep(TYPING_GAP)
    # typing stops: lint runs after LINT_DELAY and the same version is published again
    arrived, _ = client.wait("textDocument/publishDiagnostics", version=version, timeout=120)
    times["last edit → fresh lint published (pause)"] = [arrived - sent]
    client.close()
    return opened, times


class _Sink:
    """Stands in for the client's stdin: counts what the server writes."""

    written = 0

    def write(self, data: bytes) -> None:
        self.written += len(data)


def breakdown(text: str) -> dict[str, list[float]]:
    """The server's work per edit, in process: the document's stages, then encoding and writing the
    notification (with the last lint run's findings, as after a pause in typing)."""
    from tmdiag.lint import lint
    from tmdiag.lsp.document import Document
    from tmdiag.lsp.server import OpenDocument, TmLanguageServer

    server = TmLanguageServer()
    sink = _Sink()
    server.protocol.set_writer(sink)
    opened = OpenDocument("file:///generated.tm", Document(text, "generated.tm", None), 1)
    document = opened.document
    document.analyse()
    gc.freeze()  # as the server does after each publish
    clock = time.perf_counter()
    found = lint(document.analyse().model)
    stages: dict[str, list[float]] = {"lint (whole model, after a pause)": [time.perf_counter() - clock]}
    server._store_lint(opened, found, document.generation, duration=1.0)
    server.publish(opened)
    for i in range(EDITS):
        _, start, end, new = edits(document.text)[i % 4]
        clock = time.perf_counter()
        document.edit(start, end, new)
        stages.setdefault("edit + re-parse", []).append(time.perf_counter() - clock)
        analysis = document.analyse()
        for stage, took in analysis.timings.items():
            stages.setdefault(stage, []).append(took)
        clock = time.perf_counter()
        server.publish(opened)  # the document is analysed already: this is encoding and writing
        stages.setdefault(f"publish ({len(found)} lint findings)", []).append(time.perf_counter() - clock)
    gc.unfreeze()
    return stages


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"{1000 * statistics.median(values):8.1f} {1000 * p90:8.1f} {1000 * max(values):8.1f}"


def run(sizes: list[int] | None = None) -> None:
    for n in sizes or [3000]:
        text = to_tm(system(n))
        uri = (Path.cwd() / f"generated-{n}.tm").as_uri()
        opened, times = full_cycle(text, uri)
        print(f"{n} elements, {text.count(chr(10))} lines: open → diagnostics {opened:.2f} s")
        print(f"  {'edit → publishDiagnostics (real server)':<42} {'median':>8} {'p90':>8} {'max':>8}  ms")
        for label, values in times.items():
            print(f"  {label:<42} {_ms(values)}")
        everything = [v for label, values in times.items() if "lint" not in label for v in values]
        verdict = "OK" if statistics.median(everything) < 0.1 else "over target"
        print(f"  {'all edits':<42} {_ms(everything)}  target < 100 ms: {verdict}")
        print(f"  {'in process, per stage':<42} {'median':>8} {'p90':>8} {'max':>8}  ms")
        for stage, values in breakdown(text).items():
            print(f"  {stage:<42} {_ms(values)}", flush=True)
