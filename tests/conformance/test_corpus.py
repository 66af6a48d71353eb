"""The conformance corpus (dsl/conformance): valid files load clean, invalid files match their golden
diagnostics, and every diagnostic code the spec lists is exercised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.golden import assert_golden
from tmdiag.api import check_file
from tmdiag.output.diagnostics import render_text
from tmdiag.syntax import parse

CORPUS = Path("dsl/conformance")
VALID = sorted((CORPUS / "valid").glob("*.tm"))
INVALID = sorted((CORPUS / "invalid").glob("*.tm"))
SPEC = Path("dsl/SPEC.md")


def rendered(path: Path) -> str:
    model, diagnostics = check_file(path, lint=False)
    sources = model.sources if model is not None else {}
    return "\n\n".join(render_text(d, sources) for d in diagnostics) + "\n"


def test_corpus_is_large_enough() -> None:
    assert len(VALID) >= 15
    assert len(INVALID) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_file_has_no_diagnostics(path: Path) -> None:
    model, diagnostics = check_file(path, lint=False)
    assert model is not None
    assert diagnostics == [], rendered(path)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_file_matches_its_golden_diagnostics(path: Path) -> None:
    text = rendered(path)
    assert_golden(text, path.with_suffix(".expected"))
    match = re.match(r"e(\d{3})-", path.name)
    if match:  # eNNN-*.tm must report ENNN
        assert f"error[E{match.group(1)}]" in text


def test_every_invalid_file_has_a_golden_file_and_no_orphans() -> None:
    goldens = {p.with_suffix(".tm") for p in (CORPUS / "invalid").glob("*.expected")}
    assert goldens == set(INVALID)


def spec_codes(stages: tuple[str, ...] = ()) -> set[str]:
    """Codes listed in the SPEC's tables (`| `E101` | names | … |`), optionally of some stages only."""
    rows = re.findall(r"^\| `(E\d{3})` \| (\w+) \|", SPEC.read_text(encoding="utf-8"), re.MULTILINE)
    return {code for code, stage in rows if not stages or stage in stages}


def test_every_front_end_code_in_the_spec_is_exercised_by_the_corpus() -> None:
    codes = spec_codes(("syntax", "names", "attributes", "imports", "risk", "rules"))
    assert len(codes) >= 20
    seen = set()
    generated = Path(__file__).resolve().parent / "generated"  # test_generated.py: cases too big to commit
    for golden in [*(CORPUS / "invalid").glob("*.expected"), *generated.glob("*.expected")]:
        seen |= set(re.findall(r"error\[(E\d{3})\]", golden.read_text(encoding="utf-8")))
    assert codes - seen == set(), "codes in SPEC.md that no invalid file produces"


def test_every_code_the_front_end_emits_is_in_the_spec() -> None:
    emitted: set[str] = set()
    for source in Path("tmdiag").rglob("*.py"):
        emitted |= set(re.findall(r"\"(E\d{3})\"", source.read_text(encoding="utf-8")))
    assert emitted - spec_codes() == set(), "codes emitted by tmdiag but not documented in dsl/SPEC.md"


def test_valid_corpus_uses_every_statement_and_element_kind() -> None:
    statements: set[str] = set()
    kinds: set[str] = set()
    for path in VALID:
        result = parse(path.read_text(encoding="utf-8-sig"), str(path))
        for tree in result.statements:
            for sub in tree.iter_subtrees():
                statements.add(str(sub.data))
                if sub.data == "element_kind":
                    kinds.add(str(sub.children[0]))
    assert {
        "import_stmt", "model_decl", "team_decl", "member", "role", "data_decl", "agent_decl", "boundary_decl",
        "element_decl", "flow_decl", "reply", "control_decl", "risk_decl", "assume_decl", "rule_decl", "view_decl",
        "condition", "or_op", "and_op", "not_op", "compare", "in_op", "crosses", "enters", "exits", "list", "date",
        "duration",
    } <= statements  # fmt: skip
    assert kinds == {"actor", "process", "server", "lambda", "datastore", "external", "llm", "agent"}
