"""The import contracts in pyproject.toml (checked by `lint-imports` in `make lint`) cover every
top-level module: a new package that is missing from a contract would escape it silently."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import pytest

import tmdiag

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
MODULES = {info.name for info in pkgutil.iter_modules(tmdiag.__path__) if info.name != "__main__"}

# The modules each forbidden import is permitted in; every other module is a source of the contract.
PERMITTED = {
    ("pytm",): {"threats"},
    ("diagrams", "jinja2"): {"diagram", "report"},
    ("tmdiag.syntax",): {"syntax", "cli", "lsp", "api", "pipeline", "loader", "reader", "fmt", "importers"},
    ("lark",): {"syntax", "model", "fmt", "lsp", "iac", "cli", "api", "pipeline", "loader", "importers"},
}


def test_every_module_has_a_layer() -> None:
    (layers,) = [c for c in CONTRACTS if c["type"] == "layers"]
    layered = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    assert layered == MODULES


@pytest.mark.parametrize("forbidden", sorted(PERMITTED))
def test_a_forbidden_import_is_forbidden_everywhere_it_is_not_permitted(forbidden: tuple[str, ...]) -> None:
    (contract,) = [c for c in CONTRACTS if c["type"] == "forbidden" and tuple(c["forbidden_modules"]) == forbidden]
    sources = {name.removeprefix("tmdiag.") for name in contract["source_modules"]}
    assert sources == MODULES - PERMITTED[forbidden]


def test_every_forbidden_contract_is_described_here() -> None:
    assert {tuple(c["forbidden_modules"]) for c in CONTRACTS if c["type"] == "forbidden"} == set(PERMITTED)
