from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import ROOT, published

pytestmark = pytest.mark.asyncio(loop_scope="module")

URI = (ROOT / "tests/lsp/smoke.tm").as_uri()


async def test_open(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(URI, "tm", 1, 'process web "Zoë 🔥" { bogus: 1 }\n'))
    )
    found = await published(client, URI, 1)
    print(found)
    assert found
