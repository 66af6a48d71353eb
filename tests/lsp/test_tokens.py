"""Semantic tokens through a real session: what each word of a model is coloured as, full and by range."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import ROOT, SERVER_CAPABILITIES
from tests.lsp.test_session import doc, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEXT = """\
import "std/aws.tm"
team { ann "Ann 🔥" security_lead }
data card "Card" { classification: secret }  # what we protect
boundary prod "Prod" {
  trust: high
  process web "Web" { port: 443, owner: ann }
  boundary inner { datastore db "DB" { stores: [card] } }
}
submit: web -> db "Store" { data: [card], encrypted: true } reply "ok"
web -> ghost
risk INP02 on web { status: open }
rule R1 "Mine" { targets: [process], when: trust == high and not crosses boundary }
view orders "Orders" { include: [prod, db], direction: down }
"""


def decode(data: list[int], legend: types.SemanticTokensLegend, text: str) -> list[tuple[int, str, str, list[str]]]:
    """(line, text, type, modifiers) per token; columns are UTF-16 units."""
    lines = text.split("\n")
    out, line, column = [], 0, 0
    for i in range(0, len(data), 5):
        delta_line, delta_column, length, kind, mods = data[i : i + 5]
        line += delta_line
        column = column + delta_column if delta_line == 0 else delta_column
        units = lines[line].encode("utf-16-le")
        word = units[2 * column : 2 * (column + length)].decode("utf-16-le")
        names = [m for bit, m in enumerate(legend.token_modifiers) if mods & (1 << bit)]
        out.append((line, word, legend.token_types[kind], names))
    return out


@pytest.fixture(scope="module")
def legend(client: LanguageClient) -> types.SemanticTokensLegend:
    provider = SERVER_CAPABILITIES[id(client)].capabilities.semantic_tokens_provider
    assert isinstance(provider, types.SemanticTokensOptions) and provider.full and provider.range
    return provider.legend


async def test_full_document_tokens_come_from_the_parse_tree(client: LanguageClient, legend):
    uri = (ROOT / "examples/tokens.tm").as_uri()
    await open_doc(client, uri, TEXT)
    result = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc(uri)))
    assert result is not None
    tokens = decode(result.data, legend, TEXT)
    kinds = {(line, word): (kind, mods) for line, word, kind, mods in tokens}
    expect = {
        (0, "import"): ("keyword", []), (0, '"std/aws.tm"'): ("string", []),
        (1, "ann"): ("parameter", ["declaration"]), (1, '"Ann 🔥"'): ("string", []),
        (1, "security_lead"): ("enumMember", []),
        (2, "card"): ("struct", ["declaration"]), (2, "classification"): ("property", []),
        (2, "secret"): ("enumMember", []), (2, "# what we protect"): ("comment", []),
        (3, "boundary"): ("keyword", []), (3, "prod"): ("namespace", ["declaration"]),
        (4, "high"): ("enumMember", []),
        (5, "process"): ("type", []), (5, "web"): ("class", ["declaration"]), (5, "443"): ("number", []),
        (5, "ann"): ("parameter", []),  # a reference: the kind of what it names
        (6, "inner"): ("namespace", ["declaration"]), (6, "card"): ("struct", []),
        (8, "submit"): ("function", ["declaration"]), (8, "->"): ("operator", []), (8, "db"): ("class", []),
        (8, "true"): ("keyword", []), (8, "reply"): ("keyword", []),
        (9, "ghost"): ("variable", []),  # not declared
        (10, "INP02"): ("macro", []), (10, "on"): ("keyword", []), (10, "web"): ("class", []),
        (11, "R1"): ("macro", ["declaration"]), (11, "when"): ("keyword", []), (11, "trust"): ("property", []),
        (11, "=="): ("operator", []), (11, "and"): ("operator", []), (11, "crosses"): ("operator", []),
        (12, "view"): ("keyword", []), (12, "orders"): ("type", ["declaration"]), (12, "include"): ("property", []),
        (12, "prod"): ("namespace", []), (12, "db"): ("class", []), (12, "down"): ("enumMember", []),
    }  # fmt: skip
    assert {k: kinds.get(k) for k in expect} == expect
    # sorted, one token per place, none spanning lines
    places = [(line, word) for line, word, _, _ in tokens]
    assert len(places) == len(set(places))


async def test_names_from_imported_files_are_default_library(client: LanguageClient, legend):
    uri = (ROOT / "examples/tokens-import.tm").as_uri()
    text = 'import "std/aws.tm"\nprocess web "Web" { on_aws: true }\nweb -> web\n'
    await open_doc(client, uri, text)
    result = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc(uri)))
    assert result is not None
    assert [(w, k) for _, w, k, m in decode(result.data, legend, text) if w == "web" and not m] == [
        ("web", "class"),
        ("web", "class"),
    ]


async def test_a_range_gives_the_statements_on_those_lines(client: LanguageClient, legend):
    uri = (ROOT / "examples/tokens.tm").as_uri()
    full = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc(uri)))
    ranged = await client.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(doc(uri), types.Range(types.Position(8, 0), types.Position(9, 0)))
    )
    assert full is not None and ranged is not None
    in_range = decode(ranged.data, legend, TEXT)
    assert {line for line, *_ in in_range} == {8, 9}
    assert in_range == [t for t in decode(full.data, legend, TEXT) if t[0] in (8, 9)]


async def test_a_statement_being_typed_keeps_its_keywords_and_strings(client: LanguageClient, legend):
    uri = (ROOT / "examples/tokens-broken.tm").as_uri()
    text = 'boundary prod "Prod" {\n  trust: high\n  process web "Web" { port: = }\n}\n'
    await open_doc(client, uri, text)
    result = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc(uri)))
    assert result is not None
    found = {(line, word): kind for line, word, kind, _ in decode(result.data, legend, text)}
    assert found[(0, "prod")] == "namespace" and found[(1, "trust")] == "property"
    assert found[(2, "process")] in ("type", "keyword") and found[(2, '"Web"')] == "string"


def test_every_view_attribute_is_a_property_even_the_keywords():
    """`data:` and `risk:` in a view are keys, not the `data`/`risk` statements (issue 15, item 12)."""
    from tmdiag.lsp import tokens
    from tmdiag.lsp.document import Document

    text = (
        'boundary pay "Pay" { process api "API"  datastore log "Log" }\nexternal psp "PSP"\napi -> psp "Charge"\n'
        'view v "V" {\n  include: [pay, psp]\n  exclude: [log]\n  depth: 1\n  direction: right\n'
        "  data: true\n  risk: false\n}\n"
    )
    data, lines, found = tokens.document_tokens(Document(text, "v.tm")), text.splitlines(), {}
    line = column = 0
    for i in range(0, len(data), 5):
        line, column = line + data[i], data[i + 1] if data[i] else column + data[i + 1]
        found[(line, lines[line][column : column + data[i + 2]])] = (tokens.TYPES[data[i + 3]], data[i + 4])
    declaration = tokens.DECLARATION
    assert {k: found.get(k) for k in [(3, "view"), (3, "v"), (4, "pay"), (4, "psp"), (5, "log")]} == {
        (3, "view"): ("keyword", 0), (3, "v"): ("type", declaration), (4, "pay"): ("namespace", 0),
        (4, "psp"): ("class", 0), (5, "log"): ("class", 0),
    }  # fmt: skip
    for number, key in enumerate(["include", "exclude", "depth", "direction", "data", "risk"], start=4):
        assert found[(number, key)] == ("property", 0), key
    assert found[(7, "right")] == ("enumMember", 0) and found[(8, "true")] == ("keyword", 0)
