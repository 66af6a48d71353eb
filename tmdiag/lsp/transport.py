"""The JSON-RPC transport on stdin/stdout: frames read tolerantly, bad messages answered, never a hang.

pygls' own loop leaves a client waiting or wedges the stream in four cases this module handles:

- a frame without `Content-Length` (its body runs into the next frame's header line): skipped with a
  log line; reading resumes at the next `Content-Length` header, even mid-line;
- a body that is not JSON, or not a JSON-RPC message: a `ParseError` / `InvalidRequest` response;
- a request whose params do not fit the method (`params: null` for a hover): an `InvalidParams`
  response to that request (pygls showed a popup and never answered);
- a request before `initialize`: a `ServerNotInitialized` error; a request after `shutdown`: an
  `InvalidRequest` error; `exit` ends the loop with exit code 0 after `shutdown`, else 1.

Frames are read by a daemon thread (a blocked read never holds the process at exit) and handled on
the event loop in the order they came.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from typing import Any, BinaryIO

from tmdiag.lsp import publish as wire

log = logging.getLogger(__name__)

CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d+)", re.IGNORECASE)
MAX_FRAME = 256 * 1024 * 1024  # bytes: a bigger Content-Length is a corrupt header, not a message

PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32602, -32603
SERVER_NOT_INITIALIZED = -32002


class FdReader:
    """`readline` and `read(n)` straight on a file descriptor, with a buffer of our own: a thread
    blocked here holds no lock of `sys.stdin.buffer`, which the interpreter takes at exit."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def readline(self) -> bytes:
        while (end := self.buffer.find(b"\n")) < 0:
            if not self._fill():
                end = len(self.buffer) - 1
                break
        line = bytes(self.buffer[: end + 1])
        del self.buffer[: end + 1]
        return line

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size and self._fill():
            pass
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


def read_frames(stream: BinaryIO | FdReader, deliver: Any, finish: Any) -> None:
    """Read frames from `stream` until EOF; `deliver(body)` each one, then `finish()` (from this thread)."""
    length: int | None = None
    try:
        while True:
            line = stream.readline()
            if not line:
                break
            match = CONTENT_LENGTH.search(line)
            if match:
                if line[: match.start()].strip():
                    log.warning("skipped %d bytes before a Content-Length header (a frame without one?)", match.start())
                length = int(match.group(1))
                continue
            if line.strip():  # another header (Content-Type), or bytes outside any frame
                if not line.lower().startswith(b"content-type"):
                    log.warning("skipped a line outside any frame: %r", line[:80])
                continue
            if length is None:  # the end of a header without Content-Length: its body cannot be delimited
                log.warning("skipped a frame without Content-Length (reading resumes at the next header)")
                continue
            if length > MAX_FRAME:
                log.warning("skipped a frame of %d bytes (over %d)", length, MAX_FRAME)
                length = None
                continue
            expected, length = length, None
            body = stream.read(expected)
            if body is None or len(body) < expected:
                break
            deliver(body)
    except (OSError, ValueError) as error:  # closed stream
        log.info("input closed: %s", error)
    finally:
        finish()


class Session:
    """Hands frames to the pygls protocol after the checks pygls does not make (see the module docstring)."""

    def __init__(self, server: Any):
        self.server = server
        self.protocol = server.protocol
        self.initialized = False
        self.shut_down = False
        self.exit_code: int | None = None  # set by `exit`
        self.done = asyncio.get_running_loop().create_future()

    def handle(self, body: bytes) -> None:
        try:
            data = json.loads(body)
        except ValueError as error:
            self.error(None, PARSE_ERROR, f"Parse error: the message is not JSON ({error})")
            return
        if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
            self.error(data.get("id") if isinstance(data, dict) else None, INVALID_REQUEST,
                       "Invalid request: not a JSON-RPC 2.0 message")  # fmt: skip
            return
        method, request = data.get("method"), "id" in data
        if method is None:  # a response to one of our requests (or garbage)
            self.dispatch(data)
            return
        if not isinstance(method, str):
            self.error(data.get("id"), INVALID_REQUEST, "Invalid request: `method` is not a string")
            return
        if method == "exit":
            self.exit_code = 0 if self.shut_down else 1
            if not self.done.done():
                self.done.set_result(None)
            return
        if not self.initialized and method != "initialize":
            if request:
                self.error(
                    data["id"], SERVER_NOT_INITIALIZED, f"Server not initialized: `{method}` before `initialize`"
                )
            else:
                log.warning("dropped notification %s before initialize", method)
            return
        if self.shut_down and request:
            self.error(data["id"], INVALID_REQUEST, f"Invalid request: `{method}` after `shutdown`")
            return
        if method == "initialize":
            self.initialized = True
        elif method == "shutdown":
            self.shut_down = True
        self.dispatch(data)

    def dispatch(self, data: dict[str, Any]) -> None:
        request = "id" in data and "method" in data
        try:
            message = self.protocol.structure_message(data)
        except Exception as error:  # pygls raises JsonRpcInvalidParams (or InternalError) for params that do not fit
            cause = error.__cause__ or error
            log.warning("invalid message %s: %s", data.get("method"), cause)
            if request:
                self.error(data["id"], INVALID_PARAMS, f"Invalid params for `{data['method']}`: {_first_line(cause)}")
            return
        try:
            self.protocol.handle_message(message)
        except Exception as error:  # a bug in a handler: answer the request, keep serving
            log.exception("failed to handle %s", data.get("method"))
            if request:
                self.error(data["id"], INTERNAL_ERROR, f"Internal error: {type(error).__name__}: {error}")

    def error(self, msg_id: object, code: int, message: str) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})
        writer = self.protocol.writer
        if writer is not None:
            wire.write_frame(writer, body.encode("utf-8"))


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


async def serve(server: Any, stdin: BinaryIO | FdReader) -> int:
    """Serve one client until `exit` or the end of input; the process exit code (`exit`: 0 after `shutdown`,
    else 1, as the protocol asks)."""
    loop = asyncio.get_running_loop()
    session = Session(server)
    server.session = session

    def deliver(body: bytes) -> None:
        loop.call_soon_threadsafe(session.handle, body)

    def end() -> None:
        if not session.done.done():
            session.done.set_result(None)

    def finish() -> None:
        loop.call_soon_threadsafe(end)

    threading.Thread(target=read_frames, args=(stdin, deliver, finish), name="lsp-reader", daemon=True).start()
    await session.done
    return session.exit_code or 0  # the end of input (the editor went away) is a clean end too
