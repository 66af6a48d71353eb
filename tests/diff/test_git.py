"""`tmdiag diff --git REV [PATH]` against a temporary repository with two commits: the old version
and its imports are read with git; bad input (unknown revision, file absent at REV, errors on a
side, not a git work tree, folders) gets a clear message and the documented exit code."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tmdiag.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SHARED_V1 = 'team { ann "Ann" security_lead }\ndata card "Card" { classification: secret }\n'
MODEL = """\
import "shared.tm"
model "Shop" { owner: ann }
boundary net "Internet" { trust: untrusted  actor user "User" }
boundary acct "Account" { trust: high
  process app "App"
}
user -> app "Order" { data: [card], encrypted: true }
"""


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e",
           "HOME": str(repo), "PATH": "/usr/bin:/bin"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "models").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "models" / "shared.tm").write_text(SHARED_V1, encoding="utf-8")
    (root / "models" / "shop.tm").write_text(MODEL, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    # the second commit: the shared file (an import) changes
    (root / "models" / "shared.tm").write_text(SHARED_V1.replace("secret", "public"), encoding="utf-8")
    git(root, "commit", "-qam", "second")
    monkeypatch.chdir(root)
    return root


def diff_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["diff", "--format", "json", "--today", "2026-11-27", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out else {}


def test_imports_are_read_at_the_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = diff_json(capsys, "--git", "HEAD~1", "models/shop.tm")
    assert code == 0
    [model] = document["models"]
    assert model["old"] == "HEAD~1:models/shop.tm" and model["new"] == "models/shop.tm"
    changes = {(c["section"], c["subject"], c["aspect"]): c for c in model["changes"]}
    assert changes[("data", "card", "classification")]["old"] == "secret"
    code, document = diff_json(capsys, "--git", "HEAD", "models/shop.tm")
    assert code == 0 and document["models"][0]["changes"] == [] and document["models"][0]["findings"] == []


def test_working_tree_changes_and_folders(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "models" / "shop.tm").write_text(MODEL.replace("encrypted: true", "encrypted: false"), encoding="utf-8")
    (repo / "models" / "new.tm").write_text('process solo "Solo"\n', encoding="utf-8")
    code, document = diff_json(capsys, "--git", "HEAD")  # default PATH: the current folder
    assert code == 0
    by_new = {m["new"]: m for m in document["models"]}
    assert set(by_new) == {"models/shop.tm", "models/new.tm"}  # shared.tm is imported: not an entry model
    assert by_new["models/new.tm"]["old"] is None
    added = by_new["models/new.tm"]["changes"]
    assert [(c["kind"], c["subject"]) for c in added] == [("added", "solo")]
    flow = [c for c in by_new["models/shop.tm"]["changes"] if c["aspect"] == "encrypted"]
    assert flow and flow[0]["effect"] == "weakened"


def test_file_absent_at_the_revision_is_all_added(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "extra.tm").write_text('process one "One"\nprocess two "Two"\none -> two "Call"\n', encoding="utf-8")
    code, document = diff_json(capsys, "--git", "HEAD", "extra.tm")
    assert code == 0
    [model] = document["models"]
    assert model["old"] is None
    assert {c["kind"] for c in model["changes"]} == {"added"}
    assert {f["kind"] for f in model["findings"]} == {"new"}


def test_unknown_revision_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--git", "no-such-branch", "models/shop.tm"]) == 2
    assert "unknown revision `no-such-branch`" in capsys.readouterr().err


def test_not_a_git_work_tree_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (tmp_path / "m.tm").write_text('process a "A"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "--git", "HEAD", "m.tm"]) == 2
    assert "is not in a git work tree" in capsys.readouterr().err


def test_errors_on_either_side_name_the_side(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A version with errors is not a finding: exit 2 (not 1, the gate's), the side named on stderr
    and in the output; the old side's hint checks that revision, not the working-tree file."""
    (repo / "models" / "shop.tm").write_text(MODEL.replace('process app "App"', 'proces app "App"'), encoding="utf-8")
    assert main(["diff", "--git", "HEAD", "models/shop.tm", "--fail-on-new", "high"]) == 2
    captured = capsys.readouterr()
    assert "error[E001]" in captured.err and "models/shop.tm has 1 error; the new version cannot be compared" in (
        captured.err)  # fmt: skip
    assert "run `tmdiag check models/shop.tm`" in captured.err
    assert "not compared: the new version (models/shop.tm) has 1 error" in captured.out
    assert "new open risk" not in captured.err  # not confused with the gate
    git(repo, "commit", "-qam", "broken")
    (repo / "models" / "shop.tm").write_text(MODEL, encoding="utf-8")
    assert main(["diff", "--git", "HEAD", "models/shop.tm"]) == 2
    err = capsys.readouterr().err
    assert "HEAD:models/shop.tm:5:3: error[E001]" in err and "HEAD:models/shop.tm has 1 error; the old version" in err
    commit = git(repo, "rev-parse", "--short=12", "HEAD").strip()
    hint = (
        f"`git worktree add --detach /tmp/tmdiag-{commit} {commit} && tmdiag check /tmp/tmdiag-{commit}/models/shop.tm`"
    )
    assert hint in err  # was: `run tmdiag check …/shop.tm`, the fixed working-tree copy
    code, document = diff_json(capsys, "--git", "HEAD", "models/shop.tm")
    assert code == 2
    [model] = document["models"]
    assert model["error"]["side"] == "old" and model["error"]["first"].startswith(
        "HEAD:models/shop.tm:5:3: error[E001]"
    )
    assert main(["diff", "--git", "HEAD", "models/shop.tm", "--format", "markdown", "--fail-on-new", "never"]) == 2
    assert "The old version (the base) has 1 error and cannot be compared" in capsys.readouterr().out


def test_usage_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "models/shop.tm"]) == 2
    assert main(["diff", "models/shop.tm", "nope.tm"]) == 2
    assert main(["diff", "models", "models/shop.tm"]) == 2
    assert main(["diff", "--git", "HEAD", "nope.tm"]) == 2
    err = capsys.readouterr().err
    assert "name two versions" in err and "no such file or folder: nope.tm" in err and "no such file, now" in err


def test_two_folders_pair_entry_models(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in (("a", SHARED_V1), ("b", SHARED_V1.replace("secret", "public"))):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "shared.tm").write_text(text, encoding="utf-8")
        (folder / "shop.tm").write_text(MODEL, encoding="utf-8")
        (folder / "tmdiag.toml").write_text("", encoding="utf-8")
    code, document = diff_json(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0 and len(document["models"]) == 1
    assert document["models"][0]["new"].endswith("shop.tm")


def test_a_renamed_model_is_compared_with_its_old_self(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`git mv shop.tm checkout.tm` is a rename, not a removed and an added model: git's rename
    detection pairs them, in folder mode and when the new file is named."""
    git(repo, "mv", "models/shop.tm", "models/checkout.tm")
    code, document = diff_json(capsys, "--git", "HEAD")
    assert code == 0
    [model] = document["models"]  # was: two, everything removed and everything added
    assert (model["old"], model["new"]) == ("HEAD:models/shop.tm", "models/checkout.tm")
    assert model["changes"] == [] and model["findings"] == []
    code, document = diff_json(capsys, "--git", "HEAD", "models/checkout.tm")
    assert code == 0 and document["models"][0]["old"] == "HEAD:models/shop.tm"
    assert document["models"][0]["changes"] == []
    git(repo, "commit", "-qm", "renamed")  # a committed rename, compared with the revision before it
    code, document = diff_json(capsys, "--git", "HEAD~1", "models")
    assert [(m["old"], m["new"]) for m in document["models"]] == [("HEAD~1:models/shop.tm", "models/checkout.tm")]


def test_folders_pair_a_moved_model_by_its_header_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, file in (("a", "shop.tm"), ("b", "checkout.tm")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "shared.tm").write_text(SHARED_V1, encoding="utf-8")
        (folder / file).write_text(MODEL, encoding="utf-8")
        (folder / "tmdiag.toml").write_text("", encoding="utf-8")
    (tmp_path / "b" / "other.tm").write_text('model "Other" {}\nprocess solo "Solo"\n', encoding="utf-8")
    code, document = diff_json(capsys, str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    pairs = {(m["old"] or "").rpartition("/")[2]: (m["new"] or "").rpartition("/")[2] for m in document["models"]}
    assert pairs == {"shop.tm": "checkout.tm", "": "other.tm"}  # `model "Shop"` on both sides; other.tm is new
    moved = next(m for m in document["models"] if m["new"].endswith("checkout.tm"))
    assert moved["changes"] == []


def test_a_revision_missing_from_a_shallow_clone_says_what_to_run(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "branch", "feature/x")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "-b", "main", f"file://{repo}", str(clone))
    monkeypatch.chdir(clone)
    for revision in ("HEAD~1", "feature/x", "origin/feature/x"):
        assert main(["diff", "--git", revision, "models/shop.tm"]) == 2
        err = capsys.readouterr().err
        command = re.search(r"`(git fetch [^`]*)`", err)
        assert command, err  # was: `unknown revision` and `git log --oneline` (no such commit there)
        git(clone, *command.group(1).split()[1:])  # what it says to run fetches the revision
        assert main(["diff", "--git", revision, "models/shop.tm"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    git(clone, "branch", "-q", "-D", "feature/x")
    assert main(["diff", "--git", "feature/x", "models/shop.tm"]) == 2  # only origin/feature/x is there now
    assert "did you mean `origin/feature/x`?" in capsys.readouterr().err
