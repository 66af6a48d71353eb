"""A client that asks for UTF-8 positions gets byte columns (the default is UTF-16)."""

from __future__ import annotations

import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import ROOT, published, record_publishes

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "tmdiag", "lsp"]))
async def utf8_client(lsp_client: LanguageClient):
    record_publishes(lsp_client)
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf8])
    )
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


async def test_columns_count_bytes(utf8_client: LanguageClient):
    uri = (ROOT / "tests/lsp/utf8.tm").as_uri()
    text = 'process web "Zoë 🔥" { bogus: 1 }\n'
    utf8_client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "tm", 1, text)))
    found = await published(utf8_client, uri, 1)
    column = len(text[: text.index("bogus")].encode("utf-8"))  # ë is 2 bytes, 🔥 4
    assert [d.range.start for d in found if d.code == "E201"] == [types.Position(0, column)]
    assert column == 26

    start = types.Position(0, column)  # an edit in bytes lands where it should
    utf8_client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [types.TextDocumentContentChangePartial(types.Range(start, types.Position(0, column + 5)), "port")],
        )
    )
    assert not [d for d in await published(utf8_client, uri, 2) if d.code.startswith("E")]
