"""Lint configuration: `[tool.tmdiag]` in pyproject.toml or the top level of tmdiag.toml, searched upward.

Keys: `select` and `ignore` (codes or prefixes such as "TM2"), `severity = { TM203 = "error" }`,
`fail-on` ("error", "warning", "info" or "never"). The most specific prefix wins, as in ruff.
Any other key is an error (a misspelt `fail_on` or `selct` would otherwise be ignored in silence),
and so is a `pyproject.toml` or `tmdiag.toml` that is not valid TOML on the way up.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tmdiag.diagnostics import Severity, TmdiagError, suggestion
from tmdiag.inputs import read_bytes
from tmdiag.limits import MAX_CONFIG_BYTES

CONFIG_FILES = ("tmdiag.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info", "never")
KEYS = ("select", "ignore", "severity", "fail-on")  # every key tmdiag reads in its table


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


def from_table(table: Mapping[str, Any], source: Path | None = None, text: str = "") -> LintConfig:
    """Build a config from the `[tool.tmdiag]` table (or tmdiag.toml's top level). An unknown key
    is a ConfigError naming the file, the line (found in `text`, the file's text) and the key it
    most likely means."""
    where = _shown(source) if source else "config"
    unknown = [_unknown_key(key, where, source, text) for key in table if key not in KEYS]
    if unknown:  # every one at once: fixing one a run is slow
        raise ConfigError("\n".join(unknown))
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


def _unknown_key(key: str, where: str, source: Path | None, text: str) -> str:
    pyproject = source is None or source.name == "pyproject.toml"
    line = _line_of(text, key, pyproject)
    place = f"{where}:{line}:1" if line else where
    fix = suggestion(key, KEYS)
    hint = f"; did you mean `{fix.replacement}`?" if fix is not None else ""
    section = "[tool.tmdiag]" if pyproject else "tmdiag.toml"
    return f"{place}: unknown key `{key}` in {section}{hint} (tmdiag reads {', '.join(KEYS)})"


_HEADER = re.compile(r"^\[+([^\]]*)\]+")


def _line_of(text: str, key: str, pyproject: bool) -> int | None:
    """The line (1-based) where tmdiag's table sets `key` or opens a `key` table; None if not found."""
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            section = re.sub(r"[\s\"']", "", header.group(1))
            if section == f"tool.tmdiag.{key}" or (not pyproject and section == key):
                return number
            continue
        ours = section == "tool.tmdiag" or (not pyproject and section == "")
        name = re.sub(r"[\s\"']", "", stripped.partition("=")[0]).split(".")[0]
        if ours and "=" in stripped and name == key:
            return number
    return None


def _parse(path: Path) -> tuple[dict[str, Any], str]:
    """A config file's data and text; ConfigError when it cannot be read or is not valid TOML."""
    try:  # regular files of at most 1 MiB: a pipe named tmdiag.toml must not block the run
        text = read_bytes(path, MAX_CONFIG_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise ConfigError(f"cannot read {_shown(path)}: {reason}") from error
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        at = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
        place = f"{_shown(path)}:{at.group(1)}:{at.group(2)}" if at else _shown(path)
        reason = str(error)[: at.start()] if at else str(error)
        raise ConfigError(f"{place}: not valid TOML: {reason}") from error


def _shown(path: Path) -> str:
    """A config file as messages name it: relative to the working directory, like model files."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def read_config(path: Path) -> LintConfig:
    """Read one config file (tmdiag.toml: top level; pyproject.toml: `[tool.tmdiag]`)."""
    data, text = _parse(path)
    tool = data.get("tool", {})
    if path.name == "pyproject.toml":
        table = tool.get("tmdiag", {}) if isinstance(tool, dict) else {}
    else:
        table = tool.get("tmdiag", data) if isinstance(tool, dict) else data
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown(path)}: [tool.tmdiag] must be a table")
    return from_table(table, path, text)


def find_config(start: Path) -> Path | None:
    """The nearest tmdiag.toml, or pyproject.toml with a [tool.tmdiag] table, from `start` upward.
    A pyproject.toml on the way that is not valid TOML is a ConfigError: it might hold the table."""
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
    data, _ = _parse(pyproject)
    return isinstance(data.get("tool"), dict) and "tmdiag" in data["tool"]


def load_config(start: Path) -> LintConfig:
    """The configuration that applies to a file or folder; defaults when there is none."""
    path = find_config(start)
    return read_config(path) if path else LintConfig()
