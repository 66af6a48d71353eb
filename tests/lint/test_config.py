"""Configuration: where it is found, how select/ignore/severity/fail-on combine, bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdiag.diagnostics import Severity
from tmdiag.lint.config import ConfigError, LintConfig, find_config, load_config, read_config


def test_defaults_enable_everything_and_fail_on_errors() -> None:
    config = LintConfig()
    assert config.enabled("TM203") and config.enabled("TM901")
    assert config.fails(Severity.ERROR) and not config.fails(Severity.WARNING)


def test_most_specific_prefix_wins() -> None:
    config = LintConfig(select=("TM2", "TM401"), ignore=("TM20", "TM4"))
    assert not config.enabled("TM203")  # TM20 beats TM2
    assert config.enabled("TM210") is True  # only TM2 matches
    assert config.enabled("TM401")  # TM401 beats TM4
    assert not config.enabled("TM402")
    assert not config.enabled("TM101")  # not selected
    assert not LintConfig(select=("TM203",), ignore=("TM203",)).enabled("TM203")  # tie: ignore wins


def test_severity_override_by_code_or_prefix() -> None:
    config = LintConfig(severity={"TM2": Severity.INFO, "TM203": Severity.WARNING})
    assert config.severity_of("TM203", Severity.ERROR) == Severity.WARNING
    assert config.severity_of("TM201", Severity.ERROR) == Severity.INFO
    assert config.severity_of("TM101", Severity.WARNING) == Severity.WARNING
    every = LintConfig(severity={"ALL": Severity.INFO, "TM203": Severity.ERROR})  # ALL crashed (StopIteration)
    assert every.severity_of("TM101", Severity.WARNING) == Severity.INFO
    assert every.severity_of("TM203", Severity.WARNING) == Severity.ERROR


def test_pyproject_table_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff]\nselect = ["E"]\n'  # other tools' tables are theirs
        '[tool.tmdiag]\nselect = ["TM2"]\nignore = ["TM209"]\nseverity = { TM203 = "warning" }\nfail-on = "warning"\n'
    )
    nested = tmp_path / "models" / "shop"
    nested.mkdir(parents=True)
    config = load_config(nested / "shop.tm")
    assert config.source == tmp_path / "pyproject.toml"
    assert config.select == ("TM2",) and config.ignore == ("TM209",)
    assert config.severity_of("TM203", Severity.ERROR) == Severity.WARNING
    assert config.fail_on == Severity.WARNING


def test_tmdiag_toml_beats_pyproject_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "tmdiag.toml").write_text('ignore = ["TM1"]\nfail-on = "never"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(inner) == tmp_path / "tmdiag.toml"
    config = load_config(inner)
    assert not config.enabled("TM101") and config.fail_on is None and not config.fails(Severity.ERROR)
    (tmp_path / "pyproject.toml").write_text('[tool.tmdiag]\nignore = ["TM2"]\n')
    assert find_config(tmp_path) == tmp_path / "tmdiag.toml"


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == LintConfig()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('select = ["TM999"]', "no rule matches `TM999`"),
        ("ignore = 3", "takes a list"),
        ('severity = { TM203 = "fatal" }', "must be error, warning or info"),
        ('severity = "error"', "takes a table"),
        ('fail-on = "sometimes"', "expected one of"),
        ("select = [", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tmdiag.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError, match=message) as raised:
        read_config(path)
    assert "tmdiag.toml" in str(raised.value)


def test_command_line_options_override() -> None:
    base = LintConfig(select=("TM1",), ignore=("TM101",), fail_on=Severity.ERROR)
    config = base.with_options(select=["tm2"], ignore=["TM209"], fail_on="info")
    assert config.select == ("TM2",) and config.ignore == ("TM101", "TM209")
    assert config.fails(Severity.INFO)
    with pytest.raises(ConfigError, match="--select"):
        base.with_options(select=["XX1"])
