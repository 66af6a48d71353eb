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


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", '[tool.ruff]\nfail_on = 1\n\n[tool.tmdiag]\nselect = ["TM2"]\nfail_on = "warning"\n',
         r"pyproject.toml:6:1: unknown key `fail_on` in \[tool.tmdiag\]; did you mean `fail-on`\?"),
        ("pyproject.toml", '[tool.tmdiag]\nselct = ["TM2"]\n',
         r"pyproject.toml:2:1: unknown key `selct` in \[tool.tmdiag\]; did you mean `select`\?"),
        ("pyproject.toml", '[tool.tmdiag]\nselect = ["TM2"]\n[tool.tmdiag.report]\ntitle = "x"\n',
         r"pyproject.toml:3:1: unknown key `report`"),
        ("tmdiag.toml", '# lint\nignore = ["TM1"]\nseverty = { TM203 = "error" }\n',
         r"tmdiag.toml:3:1: unknown key `severty` in tmdiag.toml; did you mean `severity`\?"),
        ("tmdiag.toml", "colour = true\n", r"tmdiag.toml:1:1: unknown key `colour` in tmdiag.toml \(tmdiag reads"),
    ],
)  # fmt: skip
def test_unknown_keys_are_errors_with_a_place_and_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, message: str
) -> None:
    """Issue 11: `fail_on` and `selct` were ignored in silence."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "m.tm")


def test_a_pyproject_that_is_not_toml_is_an_error_on_the_way_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was skipped as if it had no [tool.tmdiag] table, while a broken tmdiag.toml was an error."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.tmdiag\nselect = ["TM2"]\n')
    (tmp_path / "models").mkdir()
    with pytest.raises(ConfigError, match=r"^pyproject.toml:1:13: not valid TOML: Expected"):
        load_config(tmp_path / "models" / "m.tm")


def test_every_command_that_reads_the_config_refuses_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tmdiag.cli import main
    from tmdiag.lsp.document import Document
    from tmdiag.lsp.server import _run_lint

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.tm").write_text('process p "P"\n')
    for bad in ('[tool.tmdiag]\nfail_on = "warning"\n', "[tool.tmdiag\n"):
        (tmp_path / "pyproject.toml").write_text(bad)
        assert main(["check", "m.tm"]) == 2
        assert "tmdiag: error: pyproject.toml:" in capsys.readouterr().err
        assert main(["report", "m.tm", "-o", "out", "--no-diagram"]) == 2
        assert "(nothing written)" in capsys.readouterr().err and not (tmp_path / "out").exists()
        document = Document('process p "P"\n', str(tmp_path / "m.tm"), tmp_path / "m.tm")
        model = document.analyse().model
        shown = _run_lint(model, document)
        assert [d.code for d in shown] == ["E000"] and "pyproject.toml" in shown[0].message
    (tmp_path / "pyproject.toml").write_text('[tool.tmdiag]\nfail-on = "warning"\n')
    assert main(["check", "m.tm", "-q"]) == 1  # read and used: TM1xx warnings now fail
