"""Cross-file awareness through a real session: an imported file edited in the editor, saved, closed
or changed on disk updates the documents that import it; workspace symbols; code lenses with open
threats that list them when clicked."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import ROOT, TIMEOUT, published, record_publishes
from tests.lsp.test_session import doc, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAIN = 'import "lib.tm"\nprocess web "Web"\nweb -> db "Query"\n'
LIB_WITHOUT_DB = 'process worker "Worker"\n'
LIB_WITH_DB = 'process worker "Worker"\ndatastore db "Orders DB"\n'


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "tmdiag.toml").write_text("", encoding="utf-8")
    (root / "main.tm").write_text(MAIN, encoding="utf-8")
    (root / "lib.tm").write_text(LIB_WITHOUT_DB, encoding="utf-8")
    (root / "models").mkdir()
    (root / "models" / "billing.tm").write_text('boundary billing "Billing" {\n  trust: high\n  datastore ledger '
                                                 '"Ledger DB"\n}\n', encoding="utf-8")  # fmt: skip
    (root / "node_modules").mkdir()
    (root / "node_modules" / "skip.tm").write_text('datastore skipped_db "no"\n', encoding="utf-8")
    return root


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "tmdiag", "lsp"], server_env=None),
)
async def client(lsp_client: LanguageClient, folder: Path):
    record_publishes(lsp_client)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        REGISTERED.extend(params.registrations)

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(params: None) -> None:
        REFRESHED.append(True)

    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True),
        )
    )
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


REGISTERED: list[types.Registration] = []
REFRESHED: list[bool] = []


def undeclared(found: list[types.Diagnostic]) -> list[str]:
    return [d.message.split("\n")[0] for d in found if d.code == "E101"]


async def until(client: LanguageClient, uri: str, check) -> list[types.Diagnostic]:
    """The next publishes of `uri` until `check(diagnostics)` holds."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            found = await published(client, uri)
            if check(found):
                return found

    return await asyncio.wait_for(wait(), TIMEOUT)


async def test_editing_an_imported_file_updates_the_importer(client: LanguageClient, folder: Path):
    main, lib = (folder / "main.tm").as_uri(), (folder / "lib.tm").as_uri()
    assert undeclared(await open_doc(client, main, MAIN)) == ["element `db` is not declared"]
    await open_doc(client, lib, LIB_WITHOUT_DB)
    # typed in the editor, not saved: main reads lib as it is in the editor
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=lib),
            [types.TextDocumentContentChangeWholeDocument(text=LIB_WITH_DB)],
        )
    )
    await until(client, main, lambda found: not undeclared(found))
    # closed without saving: main reads lib from disk again
    client.text_document_did_close(types.DidCloseTextDocumentParams(doc(lib)))
    await until(client, main, lambda found: undeclared(found) == ["element `db` is not declared"])


async def test_a_file_changed_on_disk_updates_the_importer(client: LanguageClient, folder: Path):
    main = (folder / "main.tm").as_uri()
    (watch,) = [r for r in REGISTERED if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert watch.register_options == {"watchers": [{"globPattern": "**/*.tm"}]}
    (folder / "lib.tm").write_text(LIB_WITH_DB, encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent((folder / "lib.tm").as_uri(), types.FileChangeType.Changed)])
    )
    await until(client, main, lambda found: not undeclared(found))
    definition = await client.text_document_definition_async(
        types.DefinitionParams(doc(main), types.Position(2, 8))  # `db` in `web -> db`
    )
    assert isinstance(definition, types.Location) and definition.uri == (folder / "lib.tm").as_uri()
    assert definition.range.start == types.Position(1, 10)


async def test_workspace_symbols_cover_every_tm_file(client: LanguageClient, folder: Path):
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="db"))
    assert found is not None
    located = sorted((s.name, Path(s.location.uri.removeprefix("file://")).name) for s in found)  # type: ignore[union-attr]
    assert ("db", "lib.tm") in located and ("ledger", "billing.tm") not in located
    assert not [name for name, _ in located if name == "skipped_db"]  # node_modules is left out
    fuzzy = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="ldgr"))
    assert fuzzy is not None and [(s.name, s.kind, s.container_name) for s in fuzzy] == [
        ("ledger", types.SymbolKind.Struct, "billing")
    ]
    every = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
    assert every is not None and {"web", "worker", "db", "billing", "ledger"} <= {s.name for s in every}


async def test_code_lenses_show_open_threats_by_level_and_list_them(client: LanguageClient):
    uri = (ROOT / "examples/checkout.tm").as_uri()
    text = (ROOT / "examples/checkout.tm").read_text(encoding="utf-8")
    await open_doc(client, uri, text)
    for _ in range(240):  # pytm runs in a child process after open
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(doc(uri)))
        if lenses and not any("updating" in (lens.command.title if lens.command else "") for lens in lenses):
            break
        await asyncio.sleep(0.25)
    assert lenses
    line_of_web = text.split("\n").index(next(line for line in text.split("\n") if 'process web "' in line))
    web = [lens for lens in lenses if lens.range.start.line == line_of_web]
    assert web and web[0].command is not None
    title = web[0].command.title
    assert "open threat" in title and any(level in title for level in ("critical", "high", "medium", "low"))
    assert web[0].command.command == "tmdiag.showThreats" and list(web[0].command.arguments or ()) == [uri, "web"]
    assert REFRESHED  # the editor was asked to fetch the lenses again when the counts arrived
    count = int(title.split()[0])
    listed = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(web[0].command.command, web[0].command.arguments)
    )
    assert isinstance(listed, str) and listed.startswith("`web`: ") and listed.count("\n- ") == count
