"""While the model has errors, lint findings the errors cause wait (tmdiag/lint/waiting.py): the
editor trial's cases (issue 15 item 8) through `tmdiag check`, the API and the rule registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tmdiag.api import check_text
from tmdiag.lint.registry import get
from tmdiag.lint.waiting import FROM_ABSENCE, WAITS_FOR_EVERY_ERROR

CLEAN = """\
team { alice "Alice" security_lead  bob "Bob" [developer, sre, business_owner] }
model "M" { scope: "The shop", owner: alice }
data profile "Profile" { classification: secret }
boundary internet "Internet" {
  trust: untrusted
  actor user "User"
}
boundary aws "AWS" {
  trust: medium
  process app "App"
  datastore rds "DB" { kind: sql, encrypted_at_rest: true }
}
user -> app "Use" { protocol: https, tls: 1.3, encrypted: true }  # tmdiag: ignore[TM201] reason: a test
app -> rds "Query" { protocol: tls, tls: 1.3, encrypted: true, data: [profile] }
"""


def codes(text: str) -> list[str]:
    return [d.code for d in check_text(text, "m.tm")[1]]


def test_a_typo_in_a_flow_end_does_not_say_the_target_has_no_flows():
    broken = codes(CLEAN.replace("app -> rds", "app -> rsd"))
    assert "E101" in broken
    assert "TM208" not in broken  # `rds` "has no flows": the flow names `rsd`, did you mean `rds`
    assert "TM304" not in broken  # `profile` "is never carried": it is, on the broken line
    assert {"TM208", "TM304"} <= set(codes(CLEAN.replace("app -> rds", "# app -> rds")))  # real when absent


def test_an_invalid_value_does_not_make_suppressions_unused():
    assert codes(CLEAN) == ["TM105"]
    assert {"TM201", "TM902"} <= set(codes(CLEAN.replace("ignore[TM201]", "ignore[TM206]")))  # said without errors
    assert "TM902" not in codes(CLEAN.replace("trust: medium", "trust: meduim"))  # TM201 cannot be judged


def test_an_error_in_a_team_member_does_not_say_the_role_is_missing():
    broken = codes(CLEAN.replace("business_owner", "business"))
    assert "E203" in broken and "TM102" not in broken


def test_findings_about_what_is_written_still_show():
    plain = CLEAN.replace("protocol: https, tls: 1.3, encrypted: true", "protocol: http")
    assert "TM202" in codes(plain.replace("app -> rds", "app -> rsd"))  # `user -> app` crosses `aws` unencrypted


def test_the_command_line_says_the_same(tmp_path: Path):
    model = tmp_path / "m.tm"
    model.write_text(CLEAN.replace("app -> rds", "app -> rsd").replace("trust: medium", "trust: meduim"))
    result = subprocess.run([sys.executable, "-m", "tmdiag", "check", str(model)], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "E101" in result.stdout and "E203" in result.stdout
    assert not {"TM208", "TM304", "TM902", "TM210"} & set(result.stdout.replace("[", " ").replace("]", " ").split())


def test_the_listed_codes_are_rules():
    for code in FROM_ABSENCE | WAITS_FOR_EVERY_ERROR:
        assert get(code) is not None
