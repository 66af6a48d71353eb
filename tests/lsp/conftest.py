"""A real LSP session: pytest-lsp starts `python -m tmdiag lsp` and talks JSON-RPC over its stdio."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 5


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "tmdiag", "lsp"], server_env=None),
)
async def client(lsp_client: LanguageClient):
    record_publishes(lsp_client)
    SERVER_CAPABILITIES[id(lsp_client)] = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=ROOT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ROOT.as_uri(), name="tmdiag")],
        )
    )
    yield
    await lsp_client.shutdown_session()


SERVER_CAPABILITIES: dict[int, types.InitializeResult] = {}  # what `initialize` answered, per client


# Every publishDiagnostics the client received, in order (pytest-lsp's own waiting keeps one future per
# method, so two notifications read in one chunk would lose the second).
PUBLISHED: dict[int, list[types.PublishDiagnosticsParams]] = {}
_SEEN: dict[int, int] = {}


def record_publishes(client: LanguageClient) -> None:
    record = PUBLISHED.setdefault(id(client), [])
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def recording(params: types.PublishDiagnosticsParams) -> None:
        record.append(params)
        original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = recording


async def published(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The next diagnostics of `uri` (of `version`, when given) not returned before."""
    record = PUBLISHED[id(client)]

    async def wait() -> list[types.Diagnostic]:
        while True:
            for index in range(_SEEN.get(id(client), 0), len(record)):
                params = record[index]
                if params.uri == uri and (version is None or params.version == version):
                    _SEEN[id(client)] = index + 1
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), TIMEOUT)
