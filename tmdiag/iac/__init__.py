"""Infrastructure as code: read Terraform (`.tf` folders, plan or state JSON) or a live AWS account
into resources with facts, draft a model from them (`tmdiag import terraform`) and compare a
model's claims with them (the TM7xx drift rules; `tmdiag drift`, `tmdiag check --against`).

    read(path) -> Infrastructure     a folder of .tf files, or the JSON of `terraform show -json`

The mapping from resource types to the model is one table, `tmdiag.iac.mapping.ROWS` (docs/iac.md).
"""

from __future__ import annotations

from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.iac.resources import UNKNOWN, Infrastructure, Ref, Resource
from tmdiag.memory import gc_paused

__all__ = ["UNKNOWN", "Infrastructure", "Ref", "Resource", "read"]


def read(path: str | Path) -> Infrastructure:
    """Resources from a folder of `.tf` files or a plan/state JSON file; problems as E501 diagnostics."""
    with gc_paused():  # many young objects, no cycles: collections would only re-scan them
        return _read(Path(path), str(path))


def _read(target: Path, shown: str) -> Infrastructure:
    if target.is_dir() or (target.suffix == ".tf" and target.is_file()):
        from tmdiag.iac.hcl import read_folder

        folder = target if target.is_dir() else target.parent
        return read_folder(folder, str(folder))
    if target.is_file():
        from tmdiag.iac.plan import read_json

        return read_json(target, shown)
    infra = Infrastructure(source=shown)
    infra.problems.append(
        Diagnostic(
            "E502",
            f"no such file or folder: {shown}",
            Span(shown, 1, 1, 1, 2),
            hint="give a folder of .tf files, or the JSON of `terraform show -json`",
        )
    )
    return infra


def read_example(terraform: str, folder: str = "infra") -> Infrastructure:
    """Terraform text as if it were `<folder>/main.tf` (rule docs and tests)."""
    import tempfile

    from tmdiag.iac.hcl import read_folder

    with tempfile.TemporaryDirectory() as temp:
        (Path(temp) / "main.tf").write_text(terraform, encoding="utf-8")
        return read_folder(Path(temp), folder)
