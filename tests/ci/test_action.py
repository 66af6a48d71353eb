"""The composite GitHub Action (action.yml): its shell steps run as GitHub runs them (`bash -eo pipefail`,
inputs in `env:`, `$GITHUB_OUTPUT`) against a temporary repository with two commits pushed to a local
`origin`: the base branch and a pull request that weakens the model. Steps that need GitHub itself
(`uses:` actions, the `gh` comment, pip from the network) are not run; their inputs are checked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "diff" / "cases"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
RUN_HERE = ("check", "report", "diff", "gate")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": os.devnull}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone on branch `feature` (the weakened model) whose origin has `main` (the model before)."""
    origin, seed, work = tmp_path / "origin.git", tmp_path / "seed", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    (seed / "models").mkdir()
    shutil.copy(CASES / "before.tm", seed / "models" / "shop.tm")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "model")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "-q", "origin", "main")
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", str(work))
    git(work, "checkout", "-q", "-b", "feature")
    shutil.copy(CASES / "after.tm", work / "models" / "shop.tm")
    git(work, "commit", "-qam", "export orders to the analytics partner")
    return work


_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, contexts: dict[str, Any]) -> str:
    """GitHub's `${{ a || b }}` with dotted lookups in inputs, github and steps (what action.yml uses)."""

    def lookup(path: str) -> Any:
        value: Any = contexts
        for part in path.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return value

    def one(match: re.Match[str]) -> str:
        for option in match.group(1).split("||"):
            value = lookup(option.strip())
            if value not in ("", None):
                return str(value)
        return ""

    return _EXPRESSION.sub(one, text)


def run_steps(work: Path, inputs: dict[str, str], base_ref: str = "main") -> dict[str, dict[str, Any]]:
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    contexts: dict[str, Any] = {"inputs": {**defaults, **inputs}, "github": {"base_ref": base_ref, "token": "x",
                                "event_name": "pull_request"}, "steps": {}}  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    for step in ACTION["runs"]["steps"]:
        if step.get("id") not in RUN_HERE:
            continue
        assert step["shell"] == "bash" and "${{" not in step["run"]  # inputs come through env only
        output = work / f".output-{step['id']}"
        output.write_text("", encoding="utf-8")
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(work / ".summary.md"), "CI": "true",
               **{k: evaluate(str(v), contexts) for k, v in step.get("env", {}).items()}}  # fmt: skip
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=work,
                              env=env, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        contexts["steps"][step["id"]] = {"outputs": outputs}
        results[step["id"]] = {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr, **outputs}
    return results


def test_the_action_on_a_pull_request_that_adds_risk(pull_request: Path) -> None:
    results = run_steps(pull_request, {"model": "models/shop.tm", "fail-on-new": "high"})
    assert results["check"]["code"] == 0 and results["check"]["exit-code"] in ("0", "1")
    sarif = json.loads((pull_request / "tmdiag.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]  # audit log off, MFA optional, …
    assert "::warning file=models/shop.tm" in results["check"]["stdout"]
    assert (pull_request / "tmdiag-report" / "report.html").is_file()
    assert "open of" in results["report"]["summary"]
    assert results["diff"]["code"] == 0 and results["diff"]["exit-code"] == "1"
    assert int(results["diff"]["new-risks"]) >= 2
    comment = (pull_request / "tmdiag-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- tmdiag-diff -->\n### Threat model changes")
    assert "❌" in comment and "origin/main:models/shop.tm → models/shop.tm" in comment
    assert "element web renamed to storefront" in comment
    assert "### Threat model changes" in (pull_request / ".summary.md").read_text(encoding="utf-8")
    assert results["gate"]["code"] == 1 and "adds an open risk at or above high" in results["gate"]["stdout"]


def test_the_gate_passes_when_asked_never_and_without_a_base(pull_request: Path) -> None:
    results = run_steps(pull_request, {"model": "models/shop.tm", "fail-on-new": "never"})
    assert results["diff"]["exit-code"] == "0" and results["gate"]["code"] == 0
    pushed = run_steps(pull_request, {"model": "models/shop.tm"}, base_ref="")  # a push, not a pull request
    assert pushed["diff"]["code"] == 0 and pushed["gate"]["code"] == 0


def test_a_broken_model_fails_the_job_with_its_diagnostics(pull_request: Path) -> None:
    (pull_request / "models" / "shop.tm").write_text('proces web "Web"\n', encoding="utf-8")
    results = run_steps(pull_request, {"model": "models/shop.tm"})
    assert "::error file=models/shop.tm,line=1" in results["check"]["stdout"]
    assert results["report"]["code"] == 1 and "error[E001]" in results["report"]["stderr"]


def test_steps_that_need_github_are_declared() -> None:
    uses = [step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python@v5", "github/codeql-action/upload-sarif@v3", "actions/upload-artifact@v4"]
    comment = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "comment")
    assert "tmdiag-comment.md" in comment["run"] and "<!-- tmdiag-diff -->" in comment["run"]
    assert ACTION["runs"]["using"] == "composite"
    documented = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in ACTION["inputs"]:
        assert f"`{name}`" in documented, name
