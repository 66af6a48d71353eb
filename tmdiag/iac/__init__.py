"""Infrastructure as code: read Terraform (`.tf` folders, plan or state JSON) or a live AWS account
into resources with facts, draft a model from them (`tmdiag import terraform`) and compare a
model's claims with them (the TM7xx drift rules; `tmdiag drift`, `tmdiag check --against`).

    read(path) -> Infrastructure     a folder of .tf files, or the JSON of `terraform show -json`

The mapping from resource types to the model is one table, `tmdiag.iac.mapping.ROWS` (docs/iac.md).
"""

from __future__ import annotations

from pathlib import Path

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.iac.resources import UNKNOWN, Infrastructure, Ref, Resource
from tmdiag.memory import gc_paused

__all__ = ["UNKNOWN", "VAR_FILE_HELP", "Infrastructure", "Ref", "Resource", "read"]

VAR_FILE_HELP = (
    "with a folder of .tf files: a .tfvars or .tfvars.json file giving variables values, read after "
    "terraform.tfvars and *.auto.tfvars (repeatable, as `terraform plan -var-file`)"
)


def read(path: str | Path, var_files: tuple[str | Path, ...] = ()) -> Infrastructure:
    """Resources from a folder of `.tf`/`.tf.json` files or a plan/state JSON file; problems as E5xx
    diagnostics. `var_files` (`.tfvars`, `.tfvars.json`) give a folder's variables values, as
    `terraform plan -var-file` does."""
    with gc_paused():  # many young objects, no cycles: collections would only re-scan them
        return _read(Path(path), str(path), tuple(Path(p) for p in var_files))


def _read(target: Path, shown: str, var_files: tuple[Path, ...]) -> Infrastructure:
    if target.is_dir():
        from tmdiag.iac.hcl import read_folder

        return read_folder(target, shown, var_files)
    if target.is_file() and target.name.endswith((".tf", ".tf.json")):
        from tmdiag.iac.hcl import read_folder

        folder = target.parent
        infra = read_folder(folder, folder.as_posix(), var_files)
        infra.problems.insert(
            0,
            Diagnostic(
                "E504",
                f"a Terraform configuration is a folder: read every file of `{folder.as_posix()}`, "
                f"not only `{target.name}`",
                Span(shown, 1, 1, 1, 2),
                Severity.INFO,
                hint=f"give the folder (`{folder.as_posix()}`) to say what is read",
            ),
        )
        return infra
    if target.exists():  # a pipe or device too: reading refuses it, naming what it is
        from tmdiag.iac.plan import read_json

        infra = read_json(target, shown)
        if var_files:
            infra.problems.append(
                Diagnostic(
                    "E502",
                    "`--var-file` gives values to a folder of `.tf` files; a plan or state has them already",
                    Span(shown, 1, 1, 1, 2),
                    hint="give the folder, or leave out --var-file",
                )
            )
        return infra
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
