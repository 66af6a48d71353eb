"""Lint configuration: `[tool.tmdiag]` in pyproject.toml or the top level of tmdiag.toml, searched upward.

Keys: `select` and `ignore` (codes or prefixes such as "TM2"), `severity = { TM203 = "error" }`,
`fail-on` ("error", "warning", "info" or "never"). The most specific prefix wins, as in ruff.
Other keys under `[tool.tmdiag]` belong to other parts of tmdiag and are left alone.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tmdiag.diagnostics import Severity, TmdiagError

CONFIG_FILES = ("tmdiag.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(TmdiagError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] = ("TM",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    fail_on: Severity | None = Severity.ERROR  # None: never fail on findings
    source: Path | None = None  # the file it was read from

    def enabled(self, code: str) -> bool:
        """Longest matching prefix decides; on a tie `ignore` wins."""
        chosen = _longest(code, self.select)
        dropped = _longest(code, self.ignore)
        return chosen >= 0 and chosen > dropped

    def severity_of(self, code: str, default: Severity) -> Severity:
        best = _longest(code, self.severity)
        if best < 0:
            return default
        return next(v for k, v in self.severity.items() if _length(k) == best and _matches(code, k))

    def fails(self, severity: Severity) -> bool:
        return self.fail_on is not None and severity >= self.fail_on

    def with_options(
        self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None, fail_on: str | None = None
    ) -> LintConfig:
        """Command-line options: `select` replaces, `ignore` extends, `fail_on` replaces."""
        config = self
        if select is not None:
            config = replace(config, select=tuple(_code_list(select, "--select")))
        if ignore is not None:
            config = replace(config, ignore=config.ignore + tuple(_code_list(ignore, "--ignore")))
        if fail_on is not None:
            config = replace(config, fail_on=_fail_on(fail_on, "--fail-on"))
        return config


def _matches(code: str, prefix: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def _length(prefix: str) -> int:
    """How specific a prefix is: `ALL` matches everything and is the least specific."""
    return 0 if prefix == "ALL" else len(prefix)


def _longest(code: str, prefixes: Iterable[str]) -> int:
    return max((_length(p) for p in prefixes if _matches(code, p)), default=-1)


def _code_list(values: Iterable[str], where: str) -> list[str]:
    from tmdiag.lint.registry import all_rules

    codes = [r.code for r in all_rules()]
    out = []
    for raw in values:
        if not isinstance(raw, str):
            raise ConfigError(f"{where}: rule codes are strings, not {raw!r}")
        value = raw.strip().upper()
        if value and value != "ALL" and not any(c.startswith(value) for c in codes):
            raise ConfigError(f"{where}: no rule matches `{raw}` (see `tmdiag rules`)")
        if value:
            out.append(value)
    return out


def _fail_on(value: object, where: str) -> Severity | None:
    if not isinstance(value, str) or value.lower() not in FAIL_ON:
        raise ConfigError(f"{where}: expected one of {', '.join(FAIL_ON)}, not {value!r}")
    return None if value.lower() == "never" else Severity.parse(value)


def from_table(table: Mapping[str, Any], source: Path | None = None) -> LintConfig:
    """Build a config from the `[tool.tmdiag]` table (unknown keys are other tools' business)."""
    where = str(source) if source else "config"
    config = LintConfig(source=source)
    for key in ("select", "ignore"):
        if key in table:
            value = table[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise ConfigError(f"{where}: `{key}` takes a list of rule codes")
            codes = tuple(_code_list(value, f"{where}: `{key}`"))
            config = replace(config, select=codes) if key == "select" else replace(config, ignore=codes)
    if "severity" in table:
        table_value = table["severity"]
        if not isinstance(table_value, dict):
            raise ConfigError(f'{where}: `severity` takes a table such as {{ TM203 = "error" }}')
        levels: dict[str, Severity] = {}
        for code, level in table_value.items():
            (prefix,) = _code_list([code], f"{where}: `severity`")
            if not isinstance(level, str) or level.lower() not in ("error", "warning", "info"):
                raise ConfigError(f"{where}: severity of {code} must be error, warning or info, not {level!r}")
            levels[prefix] = Severity.parse(level)
        config = replace(config, severity=MappingProxyType(levels))
    if "fail-on" in table:
        config = replace(config, fail_on=_fail_on(table["fail-on"], f"{where}: `fail-on`"))
    return config


def read_config(path: Path) -> LintConfig:
    """Read one config file (tmdiag.toml: top level; pyproject.toml: `[tool.tmdiag]`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("tmdiag", {})
    else:
        table = data.get("tool", {}).get("tmdiag", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.tmdiag] must be a table")
    return from_table(table, path)


def find_config(start: Path) -> Path | None:
    """The nearest tmdiag.toml, or pyproject.toml with a [tool.tmdiag] table, from `start` upward."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if not path.is_file():
                continue
            if name == "tmdiag.toml" or _has_tool_table(path):
                return path
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "tmdiag" in data["tool"]


def load_config(start: Path) -> LintConfig:
    """The configuration that applies to a file or folder; defaults when there is none."""
    path = find_config(start)
    return read_config(path) if path else LintConfig()
