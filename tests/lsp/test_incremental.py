"""Incremental analysis gives exactly what a fresh analysis (and `tmdiag check`) gives, edit after edit."""

from __future__ import annotations

import random

import pytest
from lsprotocol import types

from tests.lsp.conftest import ROOT
from tmdiag.api import check_text
from tmdiag.lsp.document import Document
from tmdiag.lsp.positions import UTF8, UTF16, UTF32, LineIndex, code_points, units
from tmdiag.syntax import parse
from tmdiag.syntax.incremental import IncrementalParse

EXAMPLES = sorted((ROOT / "examples").glob("*.tm"))
SNIPPETS = [  # the first two misuse keywords as ids: the statement scan cuts there, the parse must not
    "actor data ", "process external ",
    "\n", " ", "{", "}", "[", "]", '"', ":", ",", "->", "x", "reply", "#c\n", "\n\n", "data", "process p\n",
    "boundary q {", "web -> db \"L\"\n", "Zoë 🔥", "owner: bob\n", "owner: zed\n", 'data zed "Z"\n',
    "risk DS06 on web { status: open }\n", "}\n}\n",
]  # fmt: skip


def chunks(parsed: IncrementalParse) -> list[tuple[int, int, int, str]]:
    return [(c.start, c.line, c.column, c.text) for c in parsed.chunks]


def tree_positions(parsed: IncrementalParse) -> list[tuple[object, ...]]:
    found = []
    for statement in parsed.statements():
        for tree in statement.iter_subtrees():
            meta = tree.meta
            found.append((tree.data, meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos))
    return found


class Editor:
    """Random edits; often undoes the last one, so broken text gets repaired and checked again."""

    def __init__(self, seed: int, text: str):
        self.rng = random.Random(seed)
        self.text = text
        self.undo: list[tuple[int, int, str]] = []

    def next(self) -> tuple[int, int, str]:
        rng, text = self.rng, self.text
        if self.undo and rng.random() < 0.6:
            start, end, new = self.undo.pop()
        else:
            start = rng.randrange(len(text) + 1)
            end = min(len(text), start + rng.choice([0, 0, 1, 2, 5, 20, 80]))
            new = rng.choice(SNIPPETS) if rng.random() < 0.85 else ""
            self.undo.append((start, start + len(new), text[start:end]))
        self.text = text[:start] + new + text[end:]
        return start, end, new


@pytest.mark.parametrize("seed", range(3))
def test_chunks_and_trees_match_a_fresh_parse(seed: int):
    source = EXAMPLES[seed % len(EXAMPLES)].read_text(encoding="utf-8")
    parsed, editor = IncrementalParse(source, "m.tm"), Editor(seed, source)
    for _ in range(70):
        parsed.edit(*editor.next())
        text = editor.text
        fresh = IncrementalParse(text, "m.tm")
        assert parsed.text == text
        assert chunks(parsed) == chunks(fresh)
        assert tree_positions(parsed) == tree_positions(fresh)
        assert parsed.diagnostics() == fresh.diagnostics()
        assert parsed.comments() == fresh.comments()


def test_a_fresh_chunked_parse_matches_parse():
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    for path in sorted((ROOT / "dsl/conformance").rglob("*.tm")):
        text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
        diagnostics = parse(text, "m.tm").diagnostics
        assert IncrementalParse(text, "m.tm").diagnostics() == diagnostics, path.name  # same words, same places
        if not diagnostics:  # the whole file parses: the chunks must agree
            texts.append(text)
    for text in texts:
        whole = parse(text, "m.tm")
        chunked = IncrementalParse(text, "m.tm")
        assert [str(s) for s in chunked.statements()] == [str(s) for s in whole.statements]
        assert chunked.comments() == whole.comments


@pytest.mark.parametrize("seed", range(3))
def test_document_matches_a_fresh_document_and_check(seed: int):
    path = ROOT / "examples/checkout.tm"
    source = path.read_text(encoding="utf-8")
    display = "examples/checkout.tm"
    document, editor = Document(source, display, path), Editor(100 + seed, source)
    document.analyse()
    for step in range(60):
        document.edit(*editor.next())
        text = editor.text
        if step % 2:
            continue
        got = document.analyse()
        fresh = Document(text, display, path).analyse()
        assert got.diagnostics == fresh.diagnostics
        assert got.model == fresh.model  # every span moved to where a fresh build puts it
        _, expected = check_text(text, display, lint=False)
        if not any(d.code in ("E004", "E005") for d in expected):  # check validates nothing after these
            assert got.diagnostics == expected
    while editor.undo:  # undo everything: back to the clean example, still incremental
        start, end, new = editor.undo.pop()
        document.edit(start, end, new)
    assert document.text == source
    assert document.analyse().diagnostics == check_text(source, display, lint=False)[1]


def test_a_one_line_edit_reparses_one_statement():
    text = "\n".join(f'process p{i} "P {i}" {{ port: {i} }}' for i in range(200)) + "\n"
    document = Document(text, "m.tm")
    document.analyse()
    before = dict(document.pieces)
    offset = text.index("port: 100") + len("port: ")
    document.edit(offset, offset + 3, "8080")
    analysis = document.analyse()
    rebuilt = [uid for uid in document.pieces if uid not in before]
    assert len(rebuilt) == 1
    assert analysis.model.element("p100").get("port") == 8080  # type: ignore[union-attr]


def test_utf16_units_and_back():
    line = 'actor a "Zoë 👩‍💻 🔥" { x: 1 }'
    assert units("Zoë", UTF16) == 3 and units("🔥", UTF16) == 2 and units("🔥", UTF8) == 4 and units("🔥", UTF32) == 1
    emoji_end = line.index("🔥") + 1
    assert code_points(line, units(line[:emoji_end], UTF16), UTF16) == emoji_end
    assert code_points(line, units(line[:emoji_end], UTF16) - 1, UTF16) == emoji_end - 1  # inside a surrogate pair


def test_line_index_follows_edits():
    text = "a\nbé🔥c\n\nd"
    index = LineIndex(text)
    for start, end, new in [(1, 1, "\n\n"), (0, 4, ""), (3, 3, "xy\nz"), (0, len(text), "one\ntwo")]:
        text = text[:start] + new + text[end:]
        index.edit(start, end, new, text)
        assert index.starts == LineIndex(text).starts
    text = "x\nZoë 🔥 y"
    index = LineIndex(text)
    assert index.offset(types.Position(1, 7)) == text.index("y")  # the emoji counts 2 units
    assert index.offset(types.Position(1, 5)) == text.index("🔥")  # inside the pair: before the emoji
    assert index.position(text.index("y")) == types.Position(1, 7)


def test_document_accepts_text_without_a_file():
    document = Document("", "untitled.tm", None)
    assert document.analyse().diagnostics == []
    document.edit(0, 0, 'process web "Web" { bogus: 1 }')
    assert [d.code for d in document.analyse().diagnostics] == ["E201"]
    document.edit(0, len(document.text), "")
    assert document.analyse().diagnostics == []


def test_document_matches_check_on_the_corpus():
    """On every conformance file and example: what `tmdiag check` reports, after syntax errors too
    (syntax only where check validates nothing: NUL bytes, nesting too deep)."""
    from tmdiag.api import check_file

    files = sorted((ROOT / "dsl/conformance").rglob("*.tm")) + EXAMPLES
    for path in files:
        if path.name.startswith("e004"):  # bytes that are not text: an editor decodes them before we see them
            continue
        display = str(path.relative_to(ROOT))
        analysis = Document(path.read_text(encoding="utf-8"), display, path).analyse()
        _, expected = check_file(path, lint=False)
        got = analysis.diagnostics
        if any(d.code in ("E004", "E005") for d in expected):
            got, expected = [d for d in got if d.code < "E1"], [d for d in expected if d.code < "E1"]
        assert got == expected, display


def test_names_written_in_broken_statements_follow_check(tmp_path, monkeypatch):
    """One rule for both: only undeclared names written in broken statements (of the file or of
    its imports) go unreported; a name declared as the wrong kind is still an error."""
    from tmdiag.api import check_file

    monkeypatch.chdir(tmp_path)  # check names files relative to the working directory

    (tmp_path / "lib.tm").write_text('process api "API" { port: }\n', encoding="utf-8")
    main = tmp_path / "main.tm"
    main.write_text(
        'import "lib.tm"\nboundary db "DB" {}\nprocess web "Web" {}\nweb -> db "q"\nweb -> api "c"\n'
        'web -> cache "c"\nactor x "X" { db cache\n',
        encoding="utf-8",
    )
    _, expected = check_file(main, lint=False)
    assert {d.code for d in expected} >= {"E103"}  # `db` is a boundary, written in a broken statement too
    got = Document(main.read_text(encoding="utf-8"), "main.tm", main).analyse().diagnostics
    assert got == expected


def test_repairing_a_broken_statement_reports_the_names_it_no_longer_mentions():
    text = 'process web "Web" {}\nweb -> db "q"\ndatastore db "DB" {\n'
    document = Document(text, "m.tm")
    assert all(d.code < "E1" for d in document.analyse().diagnostics)  # `db` may be declared there
    start = text.index("datastore")
    document.edit(start, len(text), "")
    assert [d.code for d in document.analyse().diagnostics] == ["E101"]
    assert document.analyse().diagnostics == check_text(document.text, "m.tm", lint=False)[1]


SAME_LINE = 'process a "A" { port: 1 } process b "B" { port: 2 }  # two on a line\n  datastore c "C"\na -> b "x"\n'


@pytest.mark.parametrize("path", [*EXAMPLES, None], ids=lambda p: p.name if p else "same-line")
def test_read_chunks_equal_lark_built_chunks(path, monkeypatch: pytest.MonkeyPatch):
    """Chunks the fast reader accepts give the same model, comments and (lazily parsed) trees as Lark."""
    text = path.read_text(encoding="utf-8") if path else SAME_LINE
    read = Document(text, "m.tm")
    assert any(c._lazy for c in read.parse.chunks)
    with monkeypatch.context() as patched:
        patched.setattr("tmdiag.lsp.document._reader", lambda path: None)
        built = Document(text, "m.tm")
    for step in range(3):
        assert read.analyse().model == built.analyse().model
        assert read.analyse().diagnostics == built.analyse().diagnostics
        assert read.parse.comments() == built.parse.comments()
        if step:  # trees parsed after the chunks moved, then moved again
            assert tree_positions(read.parse) == tree_positions(built.parse)
        for document in (read, built):  # lines inserted above: the read chunks move with the others
            document.edit(0, 0, "\n\n")


def test_flows_numbered_again_keep_or_redo_their_checks():
    """A flow added above others renumbers them: clean statements keep their (empty) checks, the
    others are checked again; either way the result is a fresh document's."""
    text = (
        'process a "A"\nprocess b "B"\na -> b "one" { port: 1 }\na -> b { port: x }\nb -> a "three" { bogus: 1 }\n'
        'assume "first"\nassume "second" { bogus: 2 }\n'
    )
    document = Document(text, "m.tm")
    document.analyse()
    clean = next(p for p in document.pieces.values() if p.parts.flows and p.parts.flows[0].label == "one")
    kept = clean.checks
    added = 'b -> a "new" { port: 2 }\nassume "zero"\n'
    at = text.index("a -> b")
    document.edit(at, at, added)
    got = document.analyse()
    assert clean.first_flow == 2 and clean.checks is kept == []
    assert got.diagnostics == Document(text[:at] + added + text[at:], "m.tm").analyse().diagnostics
    assert [f.id for f in got.model.flows][:3] == ["flow-1", "flow-2", "flow-3"]
