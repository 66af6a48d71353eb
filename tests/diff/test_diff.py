"""`tmdiag diff` on a realistic before/after pair (tests/diff/cases): what it reports, that it is
symmetric and deterministic, that layout/order/comments are no change, and its three outputs."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.golden import assert_golden
from tmdiag import pipeline
from tmdiag.cli import main
from tmdiag.diff import STRENGTHENED, WEAKENED, ModelDiff, Side, compare
from tmdiag.fmt import format_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = HERE / "cases"
BEFORE, AFTER = CASES / "before.tm", CASES / "after.tm"
TODAY = datetime.date(2026, 11, 27)
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))


def side(path: Path | str, text: str | None = None) -> Side:
    loaded = pipeline.load(path) if text is None else pipeline.load_text(text, str(path), root=CASES)
    analysis = pipeline.analyze(loaded, today=TODAY, lint=False)
    return Side(analysis.model, analysis.findings, TODAY, analysis.threats.excluded)


@pytest.fixture(scope="module")
def sides() -> tuple[Side, Side]:
    return side(BEFORE), side(AFTER)


@pytest.fixture(scope="module")
def forward(sides: tuple[Side, Side]) -> ModelDiff:
    return compare(*sides)


def find(diff: ModelDiff, section: str, subject: str, aspect: str):  # type: ignore[no-untyped-def]
    found = [c for c in diff.changes if (c.section, c.subject, c.aspect) == (section, subject, aspect)]
    assert len(found) == 1, [c for c in diff.changes if c.subject == subject]
    return found[0]


def test_a_version_compared_with_itself_is_empty(sides: tuple[Side, Side]) -> None:
    assert compare(sides[0], sides[0]).empty


def test_reorder_reformat_and_comments_are_no_change(sides: tuple[Side, Side]) -> None:
    text = BEFORE.read_text(encoding="utf-8")
    lines = text.splitlines()
    # the four data lines and the team's members in another order, comments added, then formatted
    data = [i for i, line in enumerate(lines) if line.startswith("data ")]
    block = [lines[i] for i in data]
    for i, line in zip(data, reversed(block), strict=True):
        lines[i] = line + "  # moved"
    shuffled = "\n".join(lines).replace("  alice", "  # who\n  alice") + "\n# the end\n"
    shuffled = shuffled.replace('assume "The AWS', '# assumptions\nassume "The AWS')
    moved = (
        shuffled.replace(
            'control waf "AWS WAF" { kind: waf, on: [web], mitigates: [INP02], owner: carol, automated: true }\n', ""
        )
        + 'control waf "AWS WAF" {\n  automated: true, owner: carol\n  mitigates: INP02, on: web, kind: waf\n}\n'
    )
    assert moved != text and moved.count("control waf") == 1
    other = side(CASES / "before.tm", format_text(moved))
    assert compare(sides[0], other).changes == ()
    assert compare(sides[0], other).findings == ()


def test_what_the_realistic_pair_reports(forward: ModelDiff) -> None:
    rename = find(forward, "elements", "storefront", "id")
    assert (rename.old, rename.new) == ("web", "storefront")
    assert not [c for c in forward.changes if c.aspect == "exists" and c.subject in ("web", "storefront")]
    assert find(forward, "boundaries", "prod", "audit_log").effect == WEAKENED
    assert find(forward, "boundaries", "prod", "mfa").effect == WEAKENED
    ingress = find(forward, "elements", "db", "ingress")
    assert (ingress.old, ingress.new, ingress.effect) == (["10.0.1.0/24:5432"], ["10.0.0.0/16:5432"], WEAKENED)
    assert find(forward, "flows", "store", "encrypted").effect == WEAKENED
    moved = find(forward, "elements", "fraud", "boundary")
    assert (moved.old["id"], moved.new["id"], moved.effect) == ("private", "public", WEAKENED)
    export = find(forward, "flows", 'storefront -> analytics "Export orders"', "exists")
    assert export.kind == "added" and export.effect == WEAKENED and export.new["into_lower_trust"]
    assert "partner" in export.new["crosses"]
    card = find(forward, "data", "card", "carried_across")
    assert 'storefront -> analytics "Export orders"' in card.new and card.effect == WEAKENED
    assert find(forward, "risks", "AC05 on store", "expired").new is True
    assert find(forward, "model", "model", "reviewed").category == "review"
    # the unnamed flows whose source was renamed are the same flows (no remove + add)
    assert not [c for c in forward.changes if c.section == "flows" and "web ->" in c.subject]
    kinds = {(f.kind, f.threat_id, f.target) for f in forward.findings}
    assert ("new", "DE01", 'storefront -> analytics "Export orders"') in kinds
    assert ("status", "AC05", "store") in kinds  # the accepted risk expired: open again
    assert ("status", "DR01", "store") in kinds  # unencrypted now: no longer mitigated
    assert ("status", "DE04", "db") in kinds  # audit logging off
    assert not any(f.kind == "new" and f.target.startswith("storefront") and "fraud" in f.target
                   for f in forward.findings)  # renamed ends are the same flows  # fmt: skip


def test_symmetric(sides: tuple[Side, Side], forward: ModelDiff) -> None:
    backward = compare(sides[1], sides[0])
    assert backward == forward.reversed()
    assert backward.reversed() == forward
    assert find(backward, "boundaries", "prod", "audit_log").effect == STRENGTHENED
    assert find(backward, "elements", "web", "id").old == "storefront"


def test_fail_on_new_gates_on_new_open_risk(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(BEFORE), str(AFTER), "--today", "2026-11-27", "--fail-on-new"]
    assert main([*args, "high"]) == 1
    assert main([*args, "critical"]) == 1  # eleven new open risks: three critical, eight high
    assert main(["diff", str(AFTER), str(BEFORE), "--today", "2026-11-27", "--fail-on-new", "info"]) == 0
    assert main(["diff", str(BEFORE), str(BEFORE), "--fail-on-new", "info"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("no changes")


def _run(*args: str, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "tmdiag", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, check=True).stdout  # fmt: skip


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_outputs_are_deterministic_and_golden(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", "tests/diff/cases/before.tm", "tests/diff/cases/after.tm", "--today", "2026-11-27",
            "--format", fmt, "--color", "never"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    if fmt == "markdown":
        assert out == _run(*args, seed="1") == _run(*args, seed="2")
    assert_golden(out, HERE / "golden" / f"checkout.{'md' if fmt == 'markdown' else fmt}")
    if fmt == "json":
        document = json.loads(out)
        jsonschema.validate(document, SCHEMA)
        assert document["summary"]["new_open_by_risk"]["high"] >= 1


def test_markdown_is_inert_for_hostile_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.tm"
    old.write_text('process a "A"\n', encoding="utf-8")
    new = tmp_path / "new.tm"
    new.write_text('process a "A"\nprocess b "<img src=x onerror=alert(1)> | @admin [x](http://e.vil) **b**"\n'
                   'a -> b "<script>"\n', encoding="utf-8")  # fmt: skip
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "<img" not in out and "<script>" not in out
    assert not re.search(r"(?<!\\)\]\(", out) and not re.search(r"(?<!\\)@admin", out)  # no link, no mention
    assert "&lt;img" in out and "\\|" in out and "\\*\\*b" in out


def test_fail_on_new_says_why_and_accepts_never(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(BEFORE), str(AFTER), "--today", "2026-11-27"]
    assert main([*args, "--fail-on-new", "high"]) == 1
    err = capsys.readouterr().err
    assert err == "tmdiag: error: 13 new open risks at or above high (--fail-on-new high)\n"  # was: silent exit 1
    assert main([*args, "--fail-on-new", "never"]) == 0  # like `threats --fail-on never`
    assert capsys.readouterr().err == ""


def test_quiet_prints_only_changes_and_problems(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(BEFORE), str(AFTER), "--today", "2026-11-27", "--color", "never"]
    assert main(args) == 0
    full = capsys.readouterr().out
    assert main([*args, "-q"]) == 0
    quiet = capsys.readouterr().out  # was: the same as without -q
    assert "new open risks" in full and "new open risks" not in quiet
    assert quiet.splitlines() == [line for line in full.splitlines() if "new open risks" not in line]
    assert main(["diff", str(BEFORE), str(BEFORE), "-q"]) == 0
    assert capsys.readouterr().out == ""  # nothing changed: nothing to say


def test_quiet_is_documented_for_diff_and_folders_drop_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    assert "print only the changes" in " ".join(capsys.readouterr().out.split())  # was: "print only problems"
    for name, text in (("old", BEFORE.read_text(encoding="utf-8")), ("new", AFTER.read_text(encoding="utf-8"))):
        for model in ("a.tm", "b.tm"):
            (tmp_path / name).mkdir(exist_ok=True)
            (tmp_path / name / model).write_text(text, encoding="utf-8")
    (tmp_path / "new" / "b.tm").write_text(BEFORE.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--today", "2026-11-27", "--color", "never"]
    assert main(args) == 0
    assert "2 models: " in capsys.readouterr().out
    assert main([*args, "-q"]) == 0
    quiet = capsys.readouterr().out
    first, *rest = quiet.splitlines()
    assert first.endswith("/new/a.tm") and not any("models: " in line or "/b.tm" in line for line in rest)
