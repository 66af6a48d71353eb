"""`diff A B` is exactly `diff B A` turned round, by construction: for every pair of versions —
the examples, the lint rules' clean/fires fixtures, the realistic pair, and edits of it that move,
rename, re-trust, widen and narrow — `compare(b, a) == compare(a, b).reversed()`, where
`reversed()` swaps sides and turns every effect (weakened <-> strengthened) without asking the
effect rules again. So no change weakens both ways, and the headline's counts swap."""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

import pytest

from tmdiag import pipeline
from tmdiag.diff import NEUTRAL, STRENGTHENED, WEAKENED, ModelDiff, Side, compare
from tmdiag.output.diff import summary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TODAY = datetime.date(2026, 11, 27)
BEFORE = (HERE / "cases" / "before.tm").read_text(encoding="utf-8")

FRAUD = '    lambda fraud "Fraud scorer" { icon: aws.lambda }\n'
WEB_FRAUD = re.compile(r'web -> fraud "Score order" \{.*?\} reply "Score" \{ data: \[score\] \}\n', re.S)
INP02 = 'risk INP02 on web { status: mitigated, owner: bob, by: waf, ticket: "PAY-142" }\n'
EDITS = {
    "moved": lambda t: t.replace(FRAUD, "").replace('    kind: subnet\n    process web', '    kind: subnet\n' + FRAUD
                                                     + '    process web'),
    "renamed": lambda t: re.sub(r"\bweb\b", "storefront", t),
    "retrusted": lambda t: t.replace("trust: medium", "trust: low"),
    "ingress_same": lambda t: t.replace('"10.0.1.0/24:5432"', '"10.0.1.0/25:5432", "10.0.1.128/25:5432"'),
    "ingress_mixed": lambda t: t.replace('"10.0.1.0/24:5432"', '"10.0.1.0/25:5432", "10.9.0.0/16:5432"'),
    "flow_removed": lambda t: WEB_FRAUD.sub("", t),
    "store_split": lambda t: t.replace("stores: [card, order]", "stores: [order]").replace(
        FRAUD, FRAUD + '    datastore ledger "Card vault" { stores: [card], encrypted_at_rest: true }\n'),
    "control": lambda t: t.replace("on: [web], mitigates: [INP02]", "on: [web, assistant], mitigates: [INP01]"),
    "decision_gone": lambda t: t.replace(INP02, ""),
}  # fmt: skip


def analysed(name: str, text: str) -> Side:
    loaded = pipeline.load_text(text, f"{name}.tm", root=HERE / "cases")
    assert loaded.model is not None and not loaded.errors, [str(e) for e in loaded.errors]
    analysis = pipeline.analyze(loaded, today=TODAY)  # the register: threats and lint risks
    return Side(analysis.model, analysis.findings, TODAY, analysis.excluded)


def from_file(path: Path) -> Side:
    loaded = pipeline.load(path)
    assert loaded.model is not None and not loaded.errors
    analysis = pipeline.analyze(loaded, today=TODAY)
    return Side(analysis.model, analysis.findings, TODAY, analysis.excluded)


def assert_turned_round(a: Side, b: Side) -> None:
    forward, backward = compare(a, b, "a", "b"), compare(b, a, "b", "a")
    assert backward == forward.reversed()
    assert forward == backward.reversed()
    assert_effects_swap(forward, backward)


def assert_effects_swap(forward: ModelDiff, backward: ModelDiff) -> None:
    there, back = summary(forward), summary(backward)
    assert (there["weakened"], there["strengthened"]) == (back["strengthened"], back["weakened"])
    turn = {WEAKENED: STRENGTHENED, STRENGTHENED: WEAKENED, NEUTRAL: NEUTRAL}
    assert sorted(turn[c.effect] for c in forward.changes) == sorted(c.effect for c in backward.changes)
    for change in forward.changes:  # one effect per part: a mixed set change is split
        if change.aspect in ("crosses", "carried_across", "stored_in"):
            assert not (change.old and change.new), change


@pytest.fixture(scope="module")
def variants() -> dict[str, Side]:
    out = {"base": analysed("base", BEFORE)}
    for name, edit in EDITS.items():
        text = edit(BEFORE)
        assert text != BEFORE, name
        out[name] = analysed(name, text)
    out["after"] = from_file(HERE / "cases" / "after.tm")
    return out


def test_every_pair_of_edited_versions(variants: dict[str, Side]) -> None:
    for (_, a), (_, b) in itertools.combinations(variants.items(), 2):
        assert_turned_round(a, b)


def _fixture_pairs() -> list[tuple[Path, Path]]:
    pairs = [tuple(sorted(folder.glob("*.tm"))) for folder in sorted((ROOT / "tests/lint/rules").iterdir())]
    pairs = [p for p in pairs if len(p) >= 2]
    examples = sorted((ROOT / "examples").glob("*.tm"))
    return [(p[0], p[1]) for p in pairs] + list(itertools.combinations(examples, 2))  # type: ignore[misc]


def test_every_pair_of_fixtures_and_examples() -> None:
    pairs = _fixture_pairs()
    assert len(pairs) > 40
    sides: dict[Path, Side] = {}
    for a, b in pairs:
        for path in (a, b):
            if path not in sides:
                sides[path] = from_file(path)
        assert_turned_round(sides[a], sides[b])
