"""The language server through a real LSP session (pytest-lsp client ↔ `python -m tmdiag lsp`)."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import ROOT, TIMEOUT, published

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHECKOUT = ROOT / "examples/checkout.tm"
UNICODE = (ROOT / "tests/lsp/unicode.tm").as_uri()  # never written to disk: the editor holds the text


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri)


def position_of(text: str, needle: str, skip: int = 0) -> types.Position:
    """LSP position (UTF-16) of the start of `needle` (+ skip code points)."""
    offset = text.index(needle) + skip
    line = text.count("\n", 0, offset)
    before = text[text.rfind("\n", 0, offset) + 1 : offset]
    return types.Position(line, len(before.encode("utf-16-le")) // 2)


async def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> list[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "tm", version, text)))
    return await published(client, uri, version)


def change(client: LanguageClient, uri: str, version: int, start: types.Position, end: types.Position, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangePartial(range=types.Range(start, end), text=text)],
        )
    )


UNICODE_TEXT = """\
team { zoe "Zoë 🔥 Ng" security_lead }
boundary net "Net 🌐" { trust: untrusted
  actor user "Zoë 👩‍💻" { bogus: 1 }
}
"""


async def test_diagnostics_use_utf16_columns_and_follow_edits(client: LanguageClient):
    found = await open_doc(client, UNICODE, UNICODE_TEXT)
    e201 = [d for d in found if d.code == "E201"]
    assert len(e201) == 1
    assert e201[0].range.start == position_of(UNICODE_TEXT, "bogus")
    assert e201[0].range.start.character == 27  # `  actor user "Zoë 👩‍💻" { ` is 27 UTF-16 units
    assert e201[0].range.end.character == 32

    # fix the key in place: the diagnostic goes away (version 2)
    start = position_of(UNICODE_TEXT, "bogus")
    change(client, UNICODE, 2, start, types.Position(start.line, start.character + 5), "port")
    found = await published(client, UNICODE, 2)
    assert not [d for d in found if d.code.startswith("E")]

    # insert a line above and break a value below it: positions move with the edit
    line = 'data card "Card 💳" { classification: secrt }\n'
    change(client, UNICODE, 3, types.Position(0, 0), types.Position(0, 0), line)
    found = await published(client, UNICODE, 3)
    enum = [d for d in found if d.code == "E203"]
    assert [d.range.start for d in enum] == [types.Position(0, 38)]
    assert "did you mean `secret`?" in enum[0].message


async def test_did_you_mean_is_a_quick_fix(client: LanguageClient):
    uri = (ROOT / "tests/lsp/quickfix.tm").as_uri()
    text = 'data card "Card" { clasification: secret }\n'
    found = await open_doc(client, uri, text)
    typo = [d for d in found if d.code == "E201"]
    assert typo and "did you mean `classification`?" in typo[0].message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(doc(uri), typo[0].range, types.CodeActionContext(diagnostics=typo))
    )
    assert actions and isinstance(actions[0], types.CodeAction) and actions[0].edit is not None
    edit = (actions[0].edit.changes or {})[uri][0]
    assert edit.new_text == "classification" and edit.range == typo[0].range
    assert typo[0].range.start == position_of(text, "clasification")


async def test_syntax_error_is_positioned(client: LanguageClient):
    uri = (ROOT / "tests/lsp/broken.tm").as_uri()
    text = 'process web "Web" {\n  encrypted: true\n\nprocess db "DB"\nweb -> db "Zoë → DB"\n'
    found = await open_doc(client, uri, text)
    syntax = [d for d in found if d.code.startswith("E00")]
    assert syntax and syntax[0].severity == types.DiagnosticSeverity.Error
    assert syntax[0].range.start == types.Position(1, 17)  # the end of the unclosed block
    related = syntax[0].related_information or []
    assert [r.location.range.start for r in related] == [types.Position(0, 18)]  # where the `{` opened
    assert not [d for d in found if d.code == "E101"]  # `db` is declared: no "not declared" noise


async def test_checkout_lints_in_the_background(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    text = CHECKOUT.read_text(encoding="utf-8").replace("encrypted_at_rest: true", "encrypted_at_rest: false", 1)
    found = await open_doc(client, uri, text)
    assert not [d for d in found if d.severity == types.DiagnosticSeverity.Error and d.code.startswith("E")]

    async def lint_arrives() -> list[types.Diagnostic]:
        while True:
            diagnostics = await published(client, uri)
            if any(d.code and str(d.code).startswith("TM") for d in diagnostics):
                return diagnostics

    linted = await asyncio.wait_for(lint_arrives(), TIMEOUT)
    tm301 = [d for d in linted if d.code == "TM301"]
    assert tm301 and tm301[0].code_description is not None
    assert tm301[0].range.start.line == position_of(text, 'datastore db "Orders DB"').line
    client.text_document_did_change(  # back to the file as it is on disk, for the next tests
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=2, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=CHECKOUT.read_text(encoding="utf-8"))],
        )
    )
    await published(client, uri, 2)


async def test_hover_shows_kind_boundary_flows_and_threats(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    text = CHECKOUT.read_text(encoding="utf-8")
    at = position_of(text, "web -> db", 1)

    async def hover() -> str:
        result = await client.text_document_hover_async(types.HoverParams(doc(uri), at))
        assert result is not None and isinstance(result.contents, types.MarkupContent)
        return result.contents.value

    value = await hover()
    assert "**process** `web` — Checkout web app" in value
    assert "Boundary: `prod` (high) › `public` (medium)" in value
    assert "Flows: 2 in, 3 out" in value  # replies count: customer ⇄ web, web → db, web ⇄ fraud
    for _ in range(120):  # pytm runs in a child process after open: wait for its counts
        if "Open threats: " in value and "analysing" not in value and "updating" not in value:
            break
        await asyncio.sleep(0.25)
        value = await hover()
    count = int(value.split("Open threats: ")[1].split()[0].rstrip("\n"))
    assert count > 0

    key = await client.text_document_hover_async(types.HoverParams(doc(uri), position_of(text, "sanitizes_input", 2)))
    assert key is not None and "Sanitizes its input" in key.contents.value  # type: ignore[union-attr]


async def test_definition_and_references(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    text = CHECKOUT.read_text(encoding="utf-8")
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), position_of(text, "web -> fraud"))
    )
    assert isinstance(location, types.Location)
    assert location.range.start == position_of(text, 'web "Checkout web app"')

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=position_of(text, "card    "),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    lines = sorted(r.range.start.line for r in refs or [])
    assert position_of(text, "stores: [card").line in lines  # datastore `stores:`
    assert position_of(text, "data: [card, session]").line in lines  # flow `data:`
    assert position_of(text, "card    ").line in lines  # the declaration
    assert len(lines) == 4

    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(doc(uri), position_of(text, "card    "))
    )
    assert sorted(h.range.start.line for h in highlights or []) == lines
    assert [h.kind for h in highlights or [] if h.kind == types.DocumentHighlightKind.Write] == [
        types.DocumentHighlightKind.Write
    ]

    members = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=position_of(text, "bob   "),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    lines = text.splitlines()
    expected = {i for i, line in enumerate(lines) if "owner: bob" in line}
    assert {r.range.start.line for r in members or []} == expected and len(expected) >= 3


async def test_threat_ids_and_controls_resolve(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    text = CHECKOUT.read_text(encoding="utf-8")
    threat = await client.text_document_hover_async(types.HoverParams(doc(uri), position_of(text, "risk INP02", 6)))
    assert threat is not None and "**threat** `INP02`" in threat.contents.value  # type: ignore[union-attr]
    control = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), position_of(text, "by: waf", 5))
    )
    assert isinstance(control, types.Location) and control.range.start == position_of(text, 'waf "AWS WAF"')
    boundary = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), position_of(text, "enters: [internet]", 10))
    )
    assert isinstance(boundary, types.Location) and boundary.range.start == position_of(text, 'internet "Internet"')


async def test_definition_in_an_imported_file(client: LanguageClient):
    from tmdiag.resources import std_root

    uri = (ROOT / "tests/lsp/imports.tm").as_uri()
    text = 'import "std/aws.tm"\nprocess p "P"\nprocess q "Q"\np -> q { data: [aws_session] }\n'
    assert not await open_doc(client, uri, text)
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), position_of(text, "aws_session"))
    )
    aws = (std_root() / "aws.tm").resolve()
    assert isinstance(location, types.Location) and location.uri == aws.as_uri()
    assert location.range.start == position_of(aws.read_text(encoding="utf-8"), "aws_session")


async def test_positions_in_an_imported_file_are_utf16_too(client: LanguageClient, tmp_path):
    lib = 'data a "Zoë 🔥" { classification: public } process api "API"\n'  # the emoji counts 2 units
    (tmp_path / "lib.tm").write_text(lib, encoding="utf-8")
    main = tmp_path / "main.tm"
    text = 'import "lib.tm"\nprocess p "P"\np -> api "call"\n'
    await open_doc(client, main.as_uri(), text)
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(main.as_uri()), position_of(text, "api"))
    )
    assert isinstance(location, types.Location) and location.uri == (tmp_path / "lib.tm").resolve().as_uri()
    assert location.range.start == position_of(lib, 'api "API"')
    assert location.range.end == position_of(lib, ' "API"')


async def test_rename(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    text = CHECKOUT.read_text(encoding="utf-8")
    at = position_of(text, "stores: [card", 9)
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(doc(uri), at)) is not None
    edit = await client.text_document_rename_async(types.RenameParams(doc(uri), at, "pan"))
    assert edit is not None and edit.changes is not None
    edits = edit.changes[uri]
    assert {e.new_text for e in edits} == {"pan"} and len(edits) == 4  # the declaration and three uses
    pytm_threat = position_of(text, "risk INP02", 6)
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(doc(uri), pytm_threat)) is None
    taken = await client.text_document_rename_async(types.RenameParams(doc(uri), at, "order"))
    assert taken is None  # `order` is declared already


async def completion_labels(client: LanguageClient, uri: str, at: types.Position) -> list[str]:
    result = await client.text_document_completion_async(types.CompletionParams(doc(uri), at))
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return [item.label for item in items]


async def test_completion(client: LanguageClient):
    uri = (ROOT / "tests/lsp/complete.tm").as_uri()
    text = """\
team { ann "Ann" security_lead }
data card "Card" { classification: public }
boundary b { trust: high
  process web "Web" {

  }
  datastore db "DB" { stores: [card,  ] }
}
web -> db { data: [ ], owner:  }
"""
    await open_doc(client, uri, text)
    keys = await completion_labels(client, uri, types.Position(4, 4))
    assert {"sanitizes_input", "code_type", "ingress"} <= set(keys) and "stores" not in keys
    assert set(await completion_labels(client, uri, position_of(text, "classification: public", 16))) >= {
        "public", "secret", "top_secret",
    }  # fmt: skip
    assert await completion_labels(client, uri, position_of(text, "[card,  ]", 7)) == ["card"]
    assert await completion_labels(client, uri, position_of(text, "data: [ ]", 8)) == ["card"]
    assert await completion_labels(client, uri, position_of(text, "owner:  }", 7)) == ["ann"]
    top = await completion_labels(client, uri, types.Position(9, 0))
    assert {"boundary", "process", "risk", "web", "db"} <= set(top)


async def test_outline_nests_boundaries(client: LanguageClient):
    uri = CHECKOUT.as_uri()
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    by_name = {s.name: s for s in symbols or [] if isinstance(s, types.DocumentSymbol)}
    prod = by_name["prod"]
    assert prod.kind == types.SymbolKind.Namespace
    inner = {c.name: c for c in prod.children or []}
    assert {"public", "private"} <= set(inner)
    assert {c.name for c in inner["private"].children or []} == {"db", "fraud", "assistant"}
    assert "customer → web (submit)" in by_name and "waf" in by_name and "card" in by_name


async def test_formatting_goes_through_fmt(client: LanguageClient):
    from tmdiag import fmt

    uri = (ROOT / "tests/lsp/format.tm").as_uri()
    text = 'data card "Card"{classification:secret}\nprocess web "Web"\nprocess db "DB"\nweb->db{data:[card]}\n'
    await open_doc(client, uri, text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(doc(uri), types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert edits and len(edits) == 1
    assert edits[0].new_text == fmt.format_text(text)
    assert edits[0].range.end == types.Position(4, 0)


async def test_formatting_leaves_broken_text_alone(client: LanguageClient):
    uri = (ROOT / "tests/lsp/format-broken.tm").as_uri()
    await open_doc(client, uri, 'process web "Web" {\n')
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(doc(uri), types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert not edits
    for _ in range(100):
        if any("syntax errors" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.01)
    assert any("not formatted: the file has syntax errors" in m.message for m in client.messages)


async def test_a_missing_brace_keeps_symbols_and_offers_the_brace(client: LanguageClient):
    """The trial's missing `}` (issue 15, item 4): one error where the block ends, a quick fix adding
    `}`, and the boundary's elements and the flows after it still in the outline."""
    uri = (ROOT / "tests/syntax/braces/missing-close.tm").as_uri()
    text = (ROOT / "tests/syntax/braces/missing-close.tm").read_text(encoding="utf-8")
    found = await open_doc(client, uri, text)
    syntax = [d for d in found if d.code.startswith("E00")]
    assert [(d.code, d.range.start) for d in syntax] == [("E003", types.Position(5, 16))]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(doc(uri), syntax[0].range, types.CodeActionContext(diagnostics=syntax))
    )
    assert actions and isinstance(actions[0], types.CodeAction) and actions[0].title == "Add `}`"
    edit = (actions[0].edit.changes or {})[uri][0] if actions[0].edit else None
    assert edit is not None and edit.new_text == " }" and edit.range.start == edit.range.end == types.Position(5, 16)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    names: set[str] = set()
    pending = list(symbols or [])
    while pending:
        symbol = pending.pop()
        if isinstance(symbol, types.DocumentSymbol):
            names.add(symbol.name)
            pending.extend(symbol.children or [])
    assert {"aws", "alb", "priv", "app", "rds"} <= names
    assert {"user → alb", "alb → app", "app → rds"} <= names


async def hover_value(client: LanguageClient, uri: str, at: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(doc(uri), at))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def test_hover_says_analysing_while_threats_are_computed(client: LanguageClient):
    """Right after opening, before pytm's first result: "analysing…", not "not analysed (not analysed yet)"."""
    uri = (ROOT / "tests/lsp/fresh-checkout.tm").as_uri()  # never written: a new document, no analysis yet
    text = CHECKOUT.read_text(encoding="utf-8")
    await open_doc(client, uri, text)
    value = await hover_value(client, uri, position_of(text, "web -> db", 1))
    assert "Open threats: analysing…" in value and "not analysed" not in value


async def test_hover_says_why_threats_are_not_analysed(client: LanguageClient):
    uri = (ROOT / "tests/lsp/broken-threats.tm").as_uri()
    text = 'process web "Web" {\n  encrypted: true\n\nprocess db "DB"\nweb -> db "Query"\n'
    await open_doc(client, uri, text)
    at = position_of(text, "web -> db")
    for _ in range(40):  # the request starts on the event loop right after the open
        value = await hover_value(client, uri, at)
        if "analysing" not in value:
            break
        await asyncio.sleep(0.05)
    assert "Open threats: not analysed (the file has syntax errors)" in value


async def test_lint_findings_an_error_causes_wait_in_the_editor(client: LanguageClient):
    """`app -> rsd` (did you mean `rds`): the server publishes the error and lint, but not "`rds` has
    no flows" (TM208) or "`profile` is never carried" (TM304) (issue 15, item 8 of the report)."""
    from tests.lint.test_waiting import CLEAN

    uri = (ROOT / "tests/lsp/waiting.tm").as_uri()
    found = await open_doc(client, uri, CLEAN.replace("app -> rds", "app -> rsd"))
    for _ in range(20):  # lint comes in a later publish
        if any(str(d.code).startswith("TM") for d in found):
            break
        found = await published(client, uri)
    codes = {str(d.code) for d in found}
    assert {"E101", "TM105"} <= codes and not {"TM208", "TM304"} & codes, codes
