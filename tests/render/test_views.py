"""`view` statements: parsed, validated, formatted, completed, drawn and reported."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import tmdiag
from tests.render.conftest import ROOT
from tmdiag.cli import main
from tmdiag.diagram import DiagramError, render
from tmdiag.fmt import format_text
from tmdiag.lsp.completion import complete

SVG = "{http://www.w3.org/2000/svg}"
MODEL = """\
boundary pay "Payments" { trust: high  process acct "Accounts"  datastore ledger "Ledger" }
boundary ext "Partners" { trust: low  external psp "PSP"  external bank "Bank" }
actor user "User"
data card "Card"
user -> acct "Pay" { protocol: https, data: [card] }
acct -> ledger "Book"
acct -> psp "Charge"
psp -> bank "Settle"
view payments "Payments context" { include: [pay], depth: 1, direction: down, data: true }
view far { include: [acct], depth: 2, exclude: [ledger] }
"""


def nodes(svg: bytes) -> dict[str, str]:
    """SVG node id -> its text."""
    root = ET.fromstring(svg)
    return {g.get("id", ""): " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
            for g in root.iter(f"{SVG}g") if g.get("class") == "node"}  # fmt: skip


def test_a_view_draws_what_it_includes_in_full_and_neighbours_as_stubs() -> None:
    model = tmdiag.loads(MODEL)
    drawn = nodes(render(model, view="payments").data)
    assert drawn["dfd-el-acct"] == "Accounts «process»" and drawn["dfd-el-ledger"] == "Ledger «datastore»"
    assert drawn["dfd-el-user"] == "User" and drawn["dfd-el-psp"] == "PSP"  # one flow away: stubs
    assert "dfd-el-bank" not in drawn  # two flows away
    dot = render(model, view="payments", fmt="dot").dot
    assert "rankdir=TB" in dot and "1. Pay [https] {card}" in dot  # direction: down, data: true


def test_depth_and_exclude() -> None:
    drawn = nodes(render(tmdiag.loads(MODEL), view="far").data)
    assert set(drawn) == {"dfd-el-acct", "dfd-el-user", "dfd-el-psp", "dfd-el-bank"}  # ledger excluded


def test_an_unknown_view_is_an_error_naming_the_views() -> None:
    with pytest.raises(DiagramError, match=r"no view `nope` in the model \(views: payments, far\)"):
        render(tmdiag.loads(MODEL), view="nope")


def test_cli_view_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.tm"
    model.write_text(MODEL, encoding="utf-8")
    assert main(["diagram", str(model), "--view", "payments", "-o", str(tmp_path / "p.mmd")]) == 0
    assert (tmp_path / "p.mmd").read_text(encoding="utf-8").startswith("%% Payments context\nflowchart TB\n")
    assert main(["diagram", str(model), "--view", "nope"]) == 2
    assert "no view `nope`" in capsys.readouterr().err


def test_fmt_round_trips_views() -> None:
    messy = 'view   payments   "Payments"{include:[pay,psp],depth:1}\n'
    formatted = format_text(messy)
    assert formatted == 'view payments "Payments" { include: [pay, psp], depth: 1 }\n'
    assert format_text(formatted) == formatted


def test_completion_in_a_view_reads_the_schema() -> None:
    model = tmdiag.loads(MODEL)

    def labels(text: str) -> set[str]:
        return {item.label for item in complete(model, text, 0, len(text))}

    assert {"include", "exclude", "depth", "direction", "data", "risk"} <= labels("view v {\n  ")
    assert {"pay", "ext", "acct", "psp"} <= labels("view v { include: [")
    assert {"auto", "right", "down"} <= labels("view v { direction: ")
    assert "view" in labels("")


def test_the_report_has_a_section_per_view(tmp_path: Path) -> None:
    assert main(["report", str(ROOT / "examples/checkout.tm"), "-o", str(tmp_path), "-q", "--today", "2026-11-01"]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<section class="view" id="view-payment_path">' in html and "Card payment path" in html
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert '<a id="view-payment_path"></a>' in md and "![Card payment path](view-payment_path.svg)" in md
    assert (tmp_path / "view-payment_path.svg").read_bytes().startswith(b"<svg")


def test_a_boundary_given_as_a_view_suggests_boundary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.tm"
    model.write_text(MODEL, encoding="utf-8")
    assert main(["diagram", str(model), "--view", "ext"]) == 2
    assert "`ext` is a boundary: use --boundary ext" in capsys.readouterr().err


def test_a_very_long_picture_from_an_asked_direction_is_a_note() -> None:
    chain = "".join(f'process p{i} "Step {i}"\n' for i in range(14))
    chain += "".join(f'p{i} -> p{i + 1} "next"\n' for i in range(13))
    model = tmdiag.loads(chain + "view line { include: [p0], depth: 13, direction: right }\n"
                         "view fit { include: [p0], depth: 13 }\n")  # fmt: skip
    (note,) = [n for n in render(model, view="line").notes if "view `line`" in n]
    assert "`direction: right` gives a" in note and ":1 picture" in note
    assert not [n for n in render(model, view="fit").notes if "gives a" in n]
