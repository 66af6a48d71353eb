"""The server never blocks and never wedges, against a real `tmdiag lsp` process: malformed input
gets JSON-RPC errors, a frame without Content-Length is skipped, the request order rules of the
protocol hold, and formatting runs off the request loop."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.lsp.rpc import RawClient

URI = "file:///tmp/tmdiag-protocol.tm"
HOVER = {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 9}}


@pytest.fixture
def client() -> Iterator[RawClient]:
    started = RawClient()
    yield started
    started.close()


def test_a_request_before_initialize_gets_server_not_initialized(client: RawClient) -> None:
    client.request(7, "textDocument/hover", HOVER)
    reply = client.wait(7)
    assert reply["error"]["code"] == -32002
    assert client.initialize()["result"]["capabilities"]["hoverProvider"] is True  # and it still starts


def test_params_that_do_not_fit_get_invalid_params_and_the_server_goes_on(client: RawClient) -> None:
    client.initialize()
    client.request(2, "textDocument/hover", None)
    client.request(3, "textDocument/definition", {"textDocument": {"uri": 5}})
    assert client.wait(2)["error"]["code"] == -32602
    assert client.wait(3)["error"]["code"] == -32602
    client.request(4, "textDocument/hover", HOVER)
    assert client.wait(4)["result"] is None  # no such document: no hover, but an answer


def test_a_body_that_is_not_json_gets_a_parse_error(client: RawClient) -> None:
    client.initialize()
    body = b"{not json"
    client.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    error = client.first(lambda m: m.get("id") is None and "error" in m)
    assert error["error"]["code"] == -32700
    client.request(5, "textDocument/hover", HOVER)
    assert client.wait(5)["result"] is None


def test_an_unknown_method_gets_method_not_found(client: RawClient) -> None:
    client.initialize()
    client.request(6, "tmdiag/noSuchThing", {})
    assert client.wait(6)["error"]["code"] == -32601


def test_a_frame_without_content_length_is_skipped_and_the_next_one_is_read(client: RawClient) -> None:
    client.initialize()
    lost = json.dumps({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": HOVER}).encode()
    client.write(b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + lost)  # no Content-Length, no newline
    client.request(9, "textDocument/hover", HOVER)
    assert client.wait(9)["result"] is None
    with pytest.raises(TimeoutError):
        client.wait(8, timeout=0.5)


def test_exit_without_shutdown_exits_1(client: RawClient) -> None:
    client.initialize()
    client.notify("exit", None)
    assert client.process.wait(timeout=10) == 1


def test_exit_after_shutdown_exits_0(client: RawClient) -> None:
    client.initialize()
    client.request(2, "shutdown", None)
    assert client.wait(2)["result"] is None
    client.request(3, "textDocument/hover", HOVER)  # after shutdown: refused, not ignored
    assert client.wait(3)["error"]["code"] == -32600
    client.notify("exit", None)
    assert client.process.wait(timeout=10) == 0


def big_model(lines: int) -> str:
    elements = lines // 2
    head = 'boundary prod "Prod" {\n  trust: high\n'
    body = "".join(f'  process p{i} "P{i}" {{ port: {i % 60000 + 1}, protocol: https }}\n' for i in range(elements))
    flows = "".join(f'p{i} -> p{i + 1} "F{i}" {{ port: 443 }}\n' for i in range(elements - 3))
    return head + body + "}\n" + flows


def test_a_hover_sent_during_formatting_is_answered_first(client: RawClient) -> None:
    client.initialize()
    text = big_model(1000)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "tmdiag", "version": 1,
                                                            "text": text}})  # fmt: skip
    client.wait(method="textDocument/publishDiagnostics", timeout=30)
    client.request(20, "textDocument/formatting", {"textDocument": {"uri": URI},
                                                    "options": {"tabSize": 2, "insertSpaces": True}})  # fmt: skip
    client.request(21, "textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 2, "character": 12}})
    hover, formatted = client.wait(21, timeout=30), client.wait(20, timeout=60)
    assert "p0" in hover["result"]["contents"]["value"]
    assert hover["_at"] < formatted["_at"]
    assert formatted["result"] is not None and "{ port: 1, protocol: https }" in formatted["result"][0]["newText"]
