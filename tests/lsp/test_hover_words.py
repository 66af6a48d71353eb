"""Hover text counts in words: "1 flow", "2 flows", "1 boundary"."""

from __future__ import annotations

from tmdiag.api import loads
from tmdiag.lsp.hover import describe

MODEL = """\
data card "Card" { classification: secret }
data token "Token"
boundary prod "Prod" {
  trust: high
  process web "Web"
  boundary inner { datastore db "DB" { stores: [card] } }
}
web -> db "Store" { data: [card] }
"""


def test_counts_take_the_singular_for_one() -> None:
    model = loads(MODEL, "m.tm")
    assert "Carried by 1 flow, stored in 1 datastore" in describe(model, model.data_asset("card"), None)
    assert "Carried by 0 flows, stored in 0 datastores" in describe(model, model.data_asset("token"), None)
    assert "Contains: 1 element, 1 boundary" in describe(model, model.boundary("prod"), None)
    assert "Contains: 1 element, 0 boundaries" in describe(model, model.boundary("inner"), None)
