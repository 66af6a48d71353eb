"""The fast reader (tmdiag.reader) and the Lark path (parse + tree builder) agree exactly.

Whenever the reader accepts a text, the Lark path reads it without a diagnostic and builds the
same parts (every value of the same type, every span equal) and the same comments; whenever the
Lark path reports anything, the reader declines, so diagnostics always come from Lark.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest

from bench import generate
from tmdiag.model.build import RESERVED, build
from tmdiag.reader import _TOKEN, ELEMENT_KINDS, KEY_KEYWORDS, KEYWORDS, read
from tmdiag.syntax import parse
from tmdiag.syntax.grammar import NAME_PATTERN, grammar_text

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    p for folder in ("dsl", "examples", "tests") for p in (ROOT / folder).rglob("*.tm") if ".venv" not in p.parts
)


def typed(value: object) -> object:
    """A value with the type of every part spelled out (`Name("a") == "a"`, but not here)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, tuple(typed(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, tuple | list):
        return type(value).__name__, tuple(typed(v) for v in value)
    if isinstance(value, dict):
        return "dict", tuple((k, typed(v)) for k, v in value.items())
    return type(value).__name__, value if isinstance(value, str) else repr(value)


def lark_path(text: str, path: str) -> tuple[object, bool]:
    """What the loader's Lark path makes of a text: (parts and comments, whether it is clean)."""
    result = parse(text, path)
    parts = build(path, result.statements)
    clean = not result.diagnostics and not parts.diagnostics
    return typed((parts, result.comments)), clean


def assert_agree(text: str, path: str = "m.tm", *, accepted: bool | None = None) -> None:
    fast = read(text, path)
    expected, clean = lark_path(text, path)
    if fast is None:
        assert accepted is not True, "the reader declined a text it should read"
        return
    assert accepted is not False, "the reader accepted a text it should leave to Lark"
    assert clean, "the reader accepted a text the Lark path reports problems in"
    assert typed(fast[:2]) == expected


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_of_the_corpus(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    _, clean = lark_path(text, "m.tm")
    assert_agree(text, accepted=clean)  # a clean file takes the fast path


@pytest.mark.parametrize("size", [1, 300])
def test_generated_systems(size: int) -> None:
    assert_agree(generate.to_tm(generate.system(size)), accepted=True)
    assert_agree(generate.to_tm(generate.system(size, max(1, 76 * size // 3000), run=3)), accepted=True)


READ = [
    # keywords where a value or an operand starts, and after a `.`, are names
    "actor a { targets: [datastore, process, data], kind: lambda, x: model.rule.true }",
    "rule r { severity: high, when: data.pii and kind == process or not in in [boundary, x] }",
    "rule r { when: crosses boundary and crosses b1 and enters b2 or exits b3 }",
    "rule r { when: x == not and y != crosses }",
    # parentheses: a node's span is its own, its parent's reaches the parentheses
    "rule r { when: (a or b) or c }",
    "rule r { when: a or (b or c) and ((d)) }",
    "rule r { when: not (a == 1.5) , severity: low }",
    'rule r "Label" { when: x.y in ["a", 2, true, false, (z),] }',
    "rule r { when: (((a)) and (b)) }",
    # values, lists, escapes, trailing commas, odd spacing
    'data d "A \\"quoted\\" \\\\ label\\n" { classification: secret, pii: true, retention: 90d, seen: 2026-02-28, '
    'n: -3, f: 0.25, l: [], m: [[a, b], [1,], "s"], h: 36h, w: 2w, y: 1y, }',
    "actor a{x:1,y:[a,b,]}\r\n\tprocess   b\f{ }\n",
    '# top\nmodel "M" { # in the block\n  owner: lead  # after a value\n}\n# end',
    'team { lead "Lead" security_lead dev "D" [a, b, ] ops [sre, dev,] { x: 1 } biz owner }',
    "team { }",
    # flows, named flows, replies
    'a -> b "Label" { data: [x] } reply "Back" { port: 443 } reply\nc: a -> b reply reply { x: 1 }',
    "a-1 -> b_2\nflow_1: b_2 -> a-1 {}",
    # boundaries in breadth-first order, with attributes between elements
    "boundary o { trust: low actor a boundary i1 { process p boundary d { actor x } } x: 1 "
    "boundary i2 { trust: high } server s }",
    'boundary b "B"\nboundary c {}',
    # risks, assumptions, imports, controls, agents
    'risk INP01 on a { status: accepted }\nrisk "INP*" on "db-*"\nrisk DE01 on model\nrisk X on datastore',
    'assume "one" { owner: lead }\nassume "two"\nimport "std/aws.tm"\ncontrol c "C" { kind: waf }',
    'threat_agent t "T" { capability: high }',
    "",
    "# only a comment",
    'data d "é ü 日本" { note: "tab\\tnewline\\n" }',
]


@pytest.mark.parametrize("text", READ)
def test_texts_the_reader_reads(text: str) -> None:
    assert_agree(text, accepted=True)


LEFT_TO_LARK = [
    "actor data",  # a reserved word as an id (E105)
    "data in",  # a keyword as an id, though not a reserved one
    "actor a { x: 1, x: 2 }",  # given twice (E204)
    'actor a "bad \\q escape"',  # E006
    "data d { seen: 2026-02-30 }",  # no such day (E202)
    "rule r { severity: high }",  # no condition (E205)
    "rule r { when: a, when: b }",  # two conditions (E204)
    "risk INP01 onward a",  # Lark reads `on` + `ward`
    "actor a { x: 1 }}",
    "actor a { x: 2026-01-01x }",
    "rule r { when: x == 2026-01-01 }",  # a date where an operand goes
    "rule r { when: x == 5d }",
    "actor a { x: 1. }",
    "a -> b\nreply -> c",
    "actor a @",
    "actor a\x00",
    "actor a \v",
    "actor a { key: value in: 1 }",
    "model { x: 1 }\nmodel",
    "boundary " * 70 + "b",
    "boundary b {" * 70 + "}" * 70,
    "rule r { when: " + "not " * 120 + "a }",
    "rule r { when: " + "(" * 70 + "a" + ")" * 70 + " }",
]


@pytest.mark.parametrize("text", LEFT_TO_LARK)
def test_texts_left_to_lark(text: str) -> None:
    assert_agree(text, accepted=False)


# ---- mutations: whatever the reader accepts, Lark reads the same --------------------------
SEEDS = [
    p.read_text(encoding="utf-8") for p in sorted((ROOT / "dsl/conformance/valid").glob("*.tm"))
] + READ  # fmt: skip
PIECE = re.compile(r'"(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w-]*|\d[\w.-]*|->|\s+|.', re.DOTALL)
INSERTS = [
    *sorted(KEYWORDS), "{", "}", "[", "]", "(", ")", ":", ",", ".", "->", "==", "<", "\n", " ", "x", "a.b", '"s"',
    "1", "-2", "0.5", "2026-01-01", "3d", "# c\n", "\t", "\r\n", "\\", "é",
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        pieces = PIECE.findall(text)
        if not pieces:
            return text
        i, j = rng.randrange(len(pieces)), rng.randrange(len(pieces))
        operation = rng.choice(("delete", "insert", "insert", "replace", "replace", "duplicate", "swap"))
        if operation == "delete":
            del pieces[i]
        elif operation == "insert":
            pieces.insert(i, rng.choice(INSERTS))
        elif operation == "replace":
            pieces[i] = rng.choice(INSERTS)
        elif operation == "duplicate":
            pieces.insert(i, pieces[j])
        else:
            pieces[i], pieces[j] = pieces[j], pieces[i]
        text = "".join(pieces)
    return text


@pytest.mark.parametrize("batch", range(4))
def test_mutations(batch: int) -> None:
    rng = random.Random(1000 + batch)
    accepted = 0
    for _ in range(700):
        text = mutate(rng.choice(SEEDS), rng)
        if read(text, "m.tm") is not None:
            accepted += 1
            assert_agree(text)
    assert accepted > 100  # the mutations reach the fast path, not only Lark


# ---- the reader's tables are the grammar's ---------------------------------------------------
def test_keywords_are_the_words_the_grammar_quotes() -> None:
    grammar = grammar_text()
    quoted = set(re.findall(r'"([a-z_]+)"', grammar))
    assert quoted == KEYWORDS
    key_rule = grammar.split("!key:", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r'"([a-z_]+)"', key_rule)) == KEY_KEYWORDS
    kind_rule = grammar.split("!element_kind:", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r'"([a-z_]+)"', kind_rule)) == ELEMENT_KINDS
    assert RESERVED <= KEYWORDS  # an id the tree builder refuses (E105) never reaches it from the reader


def test_token_patterns_are_the_grammars_terminals() -> None:
    grammar = grammar_text()
    for terminal in ("NAME", "STRING", "DATE.2", "DURATION.2", "NUMBER", "COMMENT"):
        pattern = re.search(rf"^{re.escape(terminal)}: /(.*?)/(?:\s+//.*)?$", grammar, re.MULTILINE)
        assert pattern is not None and pattern.group(1) in _TOKEN.pattern, terminal
    assert NAME_PATTERN in _TOKEN.pattern
    assert "%ignore /[ \\t\\f\\r\\n]+/" in grammar and "[ \\t\\f\\r\\n]*" in _TOKEN.pattern
    assert '"==" | "!=" | "<=" | ">=" | "<" | ">"' in grammar and "==|!=|<=|>=|<|>" in _TOKEN.pattern


def test_the_reader_stops_at_the_token_budget() -> None:
    """A 15 MB file of flows took 848 MB and 14 s before its E008 (the reader listed every token
    first); the reader now gives up at the budget and the Lark path reports E008 before parsing."""
    text = "a -> b\n" * 100
    assert read(text, "m.tm", max_tokens=299) is None
    accepted = read(text, "m.tm", max_tokens=300)
    assert accepted is not None and accepted[2] == 300
