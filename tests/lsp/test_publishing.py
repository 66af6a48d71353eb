"""What `tmdiag lsp` publishes and when, against a real server: syntax and validation first, lint in a
later publish, and nothing when a change leaves the diagnostics as they were."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.lsp.rpc import RawClient

URI = "file:///tmp/tmdiag-publishing.tm"
TEXT = 'process web "Web" { bogus: 1 }\ndatastore db "DB"\nweb -> db "orders" { protocol: http }\n'


@pytest.fixture
def client() -> Iterator[RawClient]:
    started = RawClient()
    started.initialize()
    yield started
    started.close()


def is_publish(message: dict[str, Any]) -> bool:
    return message.get("method") == "textDocument/publishDiagnostics"


def codes(message: dict[str, Any]) -> list[str]:
    return [d["code"] for d in message["params"]["diagnostics"]]


def change(client: RawClient, version: int, line: int, start: int, end: int, text: str) -> list[dict[str, Any]]:
    """Send one change; the publishes that came before the server answered the request sent after it."""
    where = {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}
    client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                             "contentChanges": [{"range": where, "text": text}]})  # fmt: skip
    client.request(100 + version, "textDocument/documentHighlight",
                   {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})  # fmt: skip
    client.wait(100 + version)
    published = [m for m in client.seen if is_publish(m)]
    client.seen.clear()
    return published


def test_validation_first_then_lint_and_no_publish_when_nothing_changed(client: RawClient) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "tm", "version": 1,
                                                            "text": TEXT}})  # fmt: skip
    first = client.wait(method="textDocument/publishDiagnostics")
    assert first["params"]["version"] == 1
    assert codes(first) == ["E201"]  # parse and validation: lint has not run yet
    linted = client.first(lambda m: is_publish(m) and any(c.startswith("TM") for c in codes(m)))
    assert linted["params"]["version"] == 1 and "E201" in codes(linted)
    client.seen.clear()

    label = TEXT.split("\n")[1].index('"DB"') + 1
    assert change(client, 2, 1, label, label + 2, "Orders DB") == []  # same diagnostics, same places: not sent

    moved = change(client, 3, 0, 0, 0, "\n")  # a line inserted above: the error moves, so it is sent
    assert [m["params"]["version"] for m in moved] == [3]
    where = {d["code"]: d["range"]["start"]["line"] for d in moved[0]["params"]["diagnostics"]}
    assert where["E201"] == 1 and set(where) == set(codes(linted))
    assert change(client, 4, 2, label, label + 9, "DB") == []  # the label again: nothing to send

    fixed = change(client, 5, 1, 20, 25, "port")  # `bogus` → `port`
    assert fixed and {m["params"]["version"] for m in fixed} == {5}
    assert "E201" not in codes(fixed[0])
    if set(codes(fixed[-1])) != set(codes(linted)) - {"E201"}:  # the lint of the changed statement follows
        fixed.append(client.first(lambda m: is_publish(m) and set(codes(m)) == set(codes(linted)) - {"E201"}))


def test_a_document_opened_again_is_published_again(client: RawClient) -> None:
    item = {"uri": URI, "languageId": "tm", "version": 1, "text": TEXT}
    client.notify("textDocument/didOpen", {"textDocument": item})
    assert codes(client.wait(method="textDocument/publishDiagnostics"))[:1] == ["E201"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
    assert codes(client.wait(method="textDocument/publishDiagnostics")) == []
    client.seen.clear()
    client.notify("textDocument/didOpen", {"textDocument": {**item, "version": 5}})
    again = client.wait(method="textDocument/publishDiagnostics")
    assert again["params"]["version"] == 5 and codes(again)[:1] == ["E201"]
