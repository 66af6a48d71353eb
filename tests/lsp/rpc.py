"""A bare JSON-RPC client on a real `tmdiag lsp` process: for what pytest-lsp's client cannot send
(malformed frames, requests before `initialize`, `exit` without `shutdown`) and for timing replies."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from typing import Any

TIMEOUT = 10.0


class RawClient:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tmdiag", "lsp", "--no-threats", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.messages: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # received, not yet waited for
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
            arrived = time.perf_counter()
            message = json.loads(body)
            message["_at"] = arrived  # when it arrived (perf_counter), for latency checks
            self.messages.put((arrived, message))

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> float:
        body = json.dumps(message).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return time.perf_counter()

    def request(self, msg_id: int, method: str, params: Any) -> float:
        return self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})

    def notify(self, method: str, params: Any) -> float:
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, msg_id: int | None = None, method: str | None = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first message (already received or next) answering `msg_id` or calling `method`."""

        def wanted(message: dict[str, Any]) -> bool:
            if method is not None:
                return message.get("method") == method
            return message.get("id") == msg_id and "method" not in message

        return self.first(wanted, timeout)

    def first(self, wanted: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first message (already received or next) for which `wanted(message)` is true."""
        deadline = time.perf_counter() + timeout
        index = 0
        while True:
            while index < len(self.seen):
                message = self.seen[index]
                index += 1
                if wanted(message):
                    self.seen.remove(message)
                    return message
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("no such message")
            try:
                self.seen.append(self.messages.get(timeout=remaining)[1])
            except queue.Empty:
                continue

    def initialize(self, root_uri: str | None = None) -> dict[str, Any]:
        self.request(1, "initialize", {"processId": None, "rootUri": root_uri, "capabilities": {}})
        reply = self.wait(1)
        self.notify("initialized", {})
        return reply

    def close(self) -> int:
        if self.process.poll() is None:
            try:
                self.request(999_999, "shutdown", None)
                self.wait(999_999, timeout=10)
                self.notify("exit", None)
                return self.process.wait(timeout=10)
            except (TimeoutError, BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
        return self.process.wait(timeout=10)
