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
BROKEN = 'proces web "Web"\n'

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": os.devnull}  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def make_pull_request(tmp_path: Path, base: str, head: str, branch: str = "main", history: int = 1) -> Path:
    """A shallow clone (depth 1, like actions/checkout's default) on branch `feature` (model `head`)
    whose origin has `main` and `branch` (model `base`, after `history` commits)."""
    origin, seed, work = tmp_path / "origin.git", tmp_path / "seed", tmp_path / "work"
    tmp_path.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    (seed / "models").mkdir()
    for i in range(history):
        (seed / "models" / "shop.tm").write_text(base + "\n" * i, encoding="utf-8")
        git(seed, "add", "-A")
        git(seed, "commit", "-qm", f"model {i}")
    git(seed, "remote", "add", "origin", str(origin))
    git(seed, "push", "-q", "origin", f"main:refs/heads/{branch}", *(["main"] if branch != "main" else []))
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", str(work))
    git(work, "checkout", "-q", "-b", "feature")
    (work / "models" / "shop.tm").write_text(head, encoding="utf-8")
    git(work, "commit", "-qam", "the change")
    return work


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone on branch `feature` (the weakened model) whose origin has `main` (the model before)."""
    before, after = ((CASES / name).read_text(encoding="utf-8") for name in ("before.tm", "after.tm"))
    return make_pull_request(tmp_path, before, after)


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
    assert results["gate"]["code"] == 1 and "adds 13 open risk(s) at or above high" in results["gate"]["stdout"]
    document = json.loads((pull_request / "tmdiag-diff.json").read_text(encoding="utf-8"))
    assert int(results["diff"]["new-risks"]) == document["summary"]["new_open_at_or_above"]["high"]


def test_the_gate_passes_when_asked_never_and_without_a_base(pull_request: Path) -> None:
    results = run_steps(pull_request, {"model": "models/shop.tm", "fail-on-new": "never"})
    assert results["diff"]["exit-code"] == "0" and results["gate"]["code"] == 0
    pushed = run_steps(pull_request, {"model": "models/shop.tm"}, base_ref="")  # a push, not a pull request
    assert pushed["diff"]["code"] == 0 and pushed["gate"]["code"] == 0


def test_a_broken_base_is_reported_not_gated(tmp_path: Path) -> None:
    """The base branch's model has errors: the diff exits 2 (not 1, the gate's), the comment says the
    base cannot be compared, the gate passes with a warning — `fail-on-new: never` too — and the
    check step still reports on this version (was: `::error::the change adds an open risk`, an
    empty comment, a failed job)."""
    work = make_pull_request(tmp_path, BROKEN, (CASES / "before.tm").read_text(encoding="utf-8"))
    for fail_on in ("high", "never"):
        results = run_steps(work, {"model": "models/shop.tm", "fail-on-new": fail_on})
        assert results["check"]["code"] == 0 and results["check"]["exit-code"] in ("0", "1")
        assert results["diff"]["code"] == 0, results["diff"]["stderr"]
        assert results["diff"]["exit-code"] == "2" and results["diff"]["uncompared"] == "old"
        assert results["diff"]["new-risks"] == "0" and "Traceback" not in results["diff"]["stderr"]
        comment = (work / "tmdiag-comment.md").read_text(encoding="utf-8")
        assert "The old version (the base) has 1 error and cannot be compared" in comment
        assert results["gate"]["code"] == 0, results["gate"]["stdout"]
        assert "::warning::the base version's model has errors" in results["gate"]["stdout"]
        assert "adds" not in results["gate"]["stdout"]


def test_base_refs_with_slashes_and_history_are_fetched(tmp_path: Path) -> None:
    """`release/2.0` is a branch to fetch, not a revision (was: never fetched); `HEAD~2` beyond a
    depth-1 checkout deepens the clone (was: failed); an unknown base is a clear error."""
    before, after = ((CASES / name).read_text(encoding="utf-8") for name in ("before.tm", "after.tm"))
    work = make_pull_request(tmp_path, before, after, branch="release/2.0", history=2)
    results = run_steps(work, {"model": "models/shop.tm"}, base_ref="release/2.0")
    assert results["diff"]["code"] == 0 and results["diff"]["exit-code"] == "1"
    assert "origin/release/2.0:models/shop.tm → models/shop.tm" in (work / "tmdiag-comment.md").read_text("utf-8")
    results = run_steps(work, {"model": "models/shop.tm", "base-ref": "HEAD~2"})
    assert results["diff"]["code"] == 0, results["diff"]["stdout"] + results["diff"]["stderr"]
    assert "HEAD\\~2:models/shop.tm → models/shop.tm" in (work / "tmdiag-comment.md").read_text("utf-8")
    results = run_steps(work, {"model": "models/shop.tm", "base-ref": "no/such-branch"})
    assert results["diff"]["code"] == 2 and "::error::cannot find the base revision 'no/such-branch'" in (
        results["diff"]["stdout"])  # fmt: skip
    assert "fetch-depth: 0" in results["diff"]["stdout"] and "Traceback" not in results["diff"]["stderr"]


def test_install_defaults_to_the_actions_own_source(tmp_path: Path) -> None:
    """tmdiag is not on PyPI: by default the action installs itself (GITHUB_ACTION_PATH), run here
    with the real pip in dry-run mode."""
    step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "install")
    assert ACTION["inputs"]["tmdiag"]["default"] == ""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_ACTION_PATH": str(ROOT), "TMDIAG_SPEC": "", "PIP_DRY_RUN": "1", "PIP_NO_DEPS": "1",
           "PIP_NO_BUILD_ISOLATION": "0", "PIP_REPORT": str(tmp_path / "report.json")}  # fmt: skip
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [item["metadata"]["name"] for item in report["install"]] == ["tmdiag"]
    assert "tmdiag" in done.stdout  # `tmdiag --version`


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
    for name in [*ACTION["inputs"], *ACTION["outputs"]]:
        assert f"`{name}`" in documented, name
    # ci.md and action.yml say the same of `new-risks`: what the gate counts
    assert "new_open_at_or_above" in ACTION["outputs"]["new-risks"]["description"]
    assert "new_open_at_or_above" in documented and "any level" not in documented.split("Outputs:")[1][:400]
    assert "fetch-depth: 0" in documented and "pip install tmdiag" not in documented


def gitlab_job() -> dict[str, Any]:
    """The GitLab CI job of docs/ci.md, as documented."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8").split("## GitLab CI", 1)[1]
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml.safe_load(block)["threat-model"]  # type: ignore[no-any-return]


def run_gitlab(work: Path, target: str) -> subprocess.CompletedProcess[str]:
    """The job's `script` as GitLab runs it (one bash script, `set -eo pipefail`); its before_script
    installs tmdiag and Graphviz, which are here already."""
    job = gitlab_job()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           **{k: str(v) for k, v in job["variables"].items()}, "TM_MODEL": "models/shop.tm",
           "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": target}  # fmt: skip
    script = "\n".join(job["script"])
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_the_gitlab_recipe(tmp_path: Path) -> None:
    """docs/ci.md's GitLab job: a merge request adding risk fails (1); a target branch with a
    slash is fetched; a broken target branch is reported, not gated (was: exit 1, "adds a risk")."""
    before, after = ((CASES / name).read_text(encoding="utf-8") for name in ("before.tm", "after.tm"))
    assert "pip install tmdiag" not in json.dumps(gitlab_job())  # not on PyPI: from the repository
    work = make_pull_request(tmp_path / "risky", before, after, branch="release/2.0")
    done = run_gitlab(work, "release/2.0")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "new open risks at or above high" in done.stderr
    assert "❌" in (work / "tmdiag-diff.md").read_text(encoding="utf-8")
    work = make_pull_request(tmp_path / "broken", BROKEN, before)
    done = run_gitlab(work, "main")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the target branch's model has errors and cannot be compared" in done.stdout
    assert "cannot be compared" in (work / "tmdiag-diff.md").read_text(encoding="utf-8")
