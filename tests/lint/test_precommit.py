"""`.pre-commit-hooks.yaml`: the two hooks exist and call real subcommands on .tm files.

(Checked once by hand with `pre-commit validate-manifest .pre-commit-hooks.yaml`, pre-commit 4.7.)
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tmdiag.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def test_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"tmdiag-check", "tmdiag-fmt", "tmdiag-drift"}
    assert hooks["tmdiag-check"]["entry"] == "tmdiag check"
    assert hooks["tmdiag-fmt"]["entry"] == "tmdiag fmt --check"
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
        assert re.search(hook["files"], "models/shop.tm") and not re.search(hook["files"], "shop.tm.bak")
        assert hook["entry"].split()[1] in COMMANDS
    drift = hooks["tmdiag-drift"]  # runs on Terraform changes too, on the folders its args name
    assert drift["entry"] == "tmdiag check" and drift["pass_filenames"] is False
    for changed in ("infra/security.tf", "infra/main.tf.json", "infra/prod.tfvars", "infra/x.auto.tfvars.json"):
        assert re.search(drift["files"], changed), changed
    assert not re.search(drift["files"], "infra/.terraform.lock.hcl")
