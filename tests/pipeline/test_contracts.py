"""The pipeline's contracts across subcommands: one serializer of a finding, one printing policy
for a model that cannot be used (issue 10's two bugs), one JSON schema for every threats document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "threats.schema.json").read_text(encoding="utf-8"))
TODAY = "2026-11-27"

DECIDED = """\
model "Shop" { reviewed: 2026-11-01, review_every: 90d }
team { ann "Ann" security_lead  ben "Ben" developer }
data card "Card" { classification: secret }
boundary net "Internet" { trust: untrusted  actor user "User" }
boundary acct "Account" { trust: high, owner: ben
  process app "App"
  datastore db "DB" { stores: [card] }
}
user -> app "Order" { data: [card] }
app -> db "Save" { data: [card], encrypted: true }
risk DE04 on db {
  status: accepted, owner: ann, justification: "Tokenised upstream", until: 2026-10-01, ticket: "SHOP-1"
}
"""


def tmdiag(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tmdiag", *args], capture_output=True, text=True, cwd=cwd, check=False)


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decided") / "shop.tm"
    path.write_text(DECIDED, encoding="utf-8")
    return path


def test_threats_json_and_report_threats_json_are_one_document(decided: Path, tmp_path: Path) -> None:
    printed = tmdiag("threats", str(decided), "--format", "json", "--today", TODAY)
    assert printed.returncode == 1, printed.stderr  # the expired acceptance (E407) fails the run
    written = tmdiag("report", str(decided), "-o", str(tmp_path / "out"), "--today", TODAY, "--no-diagram", "-q")
    assert written.returncode == 0, written.stderr
    from_cli = json.loads(printed.stdout)
    from_report = json.loads((tmp_path / "out" / "threats.json").read_text(encoding="utf-8"))
    for document in (from_cli, from_report):
        jsonschema.validate(document, SCHEMA)
    assert from_cli == from_report  # same model, same day: the same document, decision fields included
    decided_finding = next(f for f in from_cli["findings"] if f["decision"] is not None)
    assert decided_finding["decision"] == {
        "status": "accepted", "owner": "ann", "by": None, "justification": "Tokenised upstream",
        "until": "2026-10-01", "due": None, "ticket": "SHOP-1", "severity": None, "expired": True,
        "checked_by": None, "date": None,
        "decided_by": {"text": "risk DE04 on db", "scope": "id", "line": 11,
                       "path": decided_finding["decision"]["decided_by"]["path"]},
    }  # fmt: skip
    assert decided_finding["status"] == "open"  # expired: open again


def test_summary_lists_risk_levels_by_severity(decided: Path) -> None:
    data = json.loads(tmdiag("threats", str(decided), "--format", "json", "--today", TODAY).stdout)
    assert list(data["summary"]["open_by_risk"]) == ["critical", "high", "medium", "low", "info"]


IMPORTED_ERROR = 'process lib "Library" { sanitise_input: true }\n'


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("threats",),
        ("threats", "--format", "json"),
        ("diagram", "--format", "dot"),
        ("report", "-o", "out", "--no-diagram"),
    ],
)
def test_an_error_in_an_imported_file_shows_its_source_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "tmdiag.toml").write_text("", encoding="utf-8")
    (tmp_path / "lib.tm").write_text(IMPORTED_ERROR, encoding="utf-8")
    (tmp_path / "main.tm").write_text('import "lib.tm"\nprocess app "App"\napp -> lib "Call"\n', encoding="utf-8")
    done = tmdiag(command[0], "main.tm", *command[1:], cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    # check prints diagnostics as its output; the others keep stdout for data and say it on stderr
    shown = done.stdout if command[0] == "check" else done.stderr
    assert "lib.tm:1:25: error[E201]" in shown
    assert '   1 | process lib "Library" { sanitise_input: true }' in shown
    if command[0] != "check":
        assert done.stdout == ""
        assert not (tmp_path / "out").exists()
