"""What each kind of change means for security, on small before/after pairs a user reported: the
effect by meaning (trust of the zones, address sets), the opposite effect the other way round,
mixed changes split into parts, names from the side that has the thing, and the words used."""

from __future__ import annotations

import datetime
from pathlib import Path

from tests.golden import assert_golden
from tmdiag import pipeline
from tmdiag.cli import main
from tmdiag.diff import NEUTRAL, STRENGTHENED, WEAKENED, Change, ModelDiff, Side, compare
from tmdiag.diff.effects import ingress_gain_loss
from tmdiag.output.diff import describe, render_markdown, render_text

HERE = Path(__file__).resolve().parent
TODAY = datetime.date(2026, 11, 27)

ZONES = """\
boundary prod "Prod" {
  trust: high
  boundary private "Private" { process p "P"  datastore db "DB" { stores: [d] } }
  boundary public "Public" { trust: low  process w "W" }
}
data d "D" { classification: secret }
w -> p "Call" { data: [d] }
"""
MOVED = """\
boundary prod "Prod" {
  trust: high
  boundary private "Private" { datastore database "DB2" { stores: [d] } }
  boundary public "Public" { trust: low  process w "W"  process p "P" }
}
data d "D" { classification: secret }
w -> p "Call" { data: [d] }
p -> database "Save" { data: [d] }
"""


def side(text: str, name: str = "m.tm") -> Side:
    loaded = pipeline.load_text(text, name, root=HERE)
    assert loaded.model is not None and not loaded.errors, [str(e) for e in loaded.errors]
    analysis = pipeline.analyze(loaded, today=TODAY)
    return Side(analysis.model, analysis.findings, TODAY, analysis.excluded)


def both(old: str, new: str) -> tuple[ModelDiff, ModelDiff]:
    a, b = side(old), side(new)
    forward, backward = compare(a, b, "old.tm", "new.tm"), compare(b, a, "new.tm", "old.tm")
    assert backward == forward.reversed()
    return forward, backward


def lines(diff: ModelDiff) -> dict[str, str]:
    return {describe(c): c.effect for c in diff.changes}


def only(diff: ModelDiff, section: str, subject: str, aspect: str) -> list[Change]:
    return [c for c in diff.changes if (c.section, c.subject, c.aspect) == (section, subject, aspect)]


def test_a_move_into_lower_trust_weakens_and_back_strengthens() -> None:
    forward, backward = both(ZONES, MOVED)
    assert lines(forward)["element p moved from private (trust high) to public (trust low)"] == WEAKENED
    assert lines(backward)["element p moved from public (trust low) to private (trust high)"] == STRENGTHENED


def test_a_mixed_change_is_split_into_parts_that_swap() -> None:
    forward, backward = both(ZONES, MOVED)
    there, back = lines(forward), lines(backward)
    # was: `data d: newly stored in database; no longer stored in db [weakens]` both ways
    assert there["data d: newly stored in database"] == WEAKENED
    assert there["data d: no longer stored in db"] == STRENGTHENED
    assert back["data d: newly stored in db"] == WEAKENED
    assert back["data d: no longer stored in database"] == STRENGTHENED
    assert there['data d: newly carried across a boundary by p -> database "Save"'] == WEAKENED
    assert there['data d: no longer carried across a boundary by w -> p "Call"'] == STRENGTHENED
    assert back['data d: newly carried across a boundary by w -> p "Call"'] == WEAKENED
    assert there['flow w -> p "Call": no longer crosses private, public'] == STRENGTHENED
    assert back['flow w -> p "Call": newly crosses private, public'] == WEAKENED
    weak, strong = (sum(c.effect == e for c in forward.changes) for e in (WEAKENED, STRENGTHENED))
    weak_back, strong_back = (sum(c.effect == e for c in backward.changes) for e in (WEAKENED, STRENGTHENED))
    assert (weak, strong) == (strong_back, weak_back) == (4, 3)


def test_the_realistic_pair_reversed_names_each_side_by_its_own_names(capsys) -> None:  # type: ignore[no-untyped-def]
    after, before = HERE / "cases" / "after.tm", HERE / "cases" / "before.tm"
    assert main(["diff", str(after.relative_to(Path.cwd())), str(before.relative_to(Path.cwd())),
                 "--today", "2026-11-27", "--color", "never"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    # was: `- removed flow storefront -> analytics "Export orders" (web → analytics, …)`
    assert '- removed flow storefront -> analytics "Export orders" (storefront → analytics,' in out
    assert_golden(out, HERE / "golden" / "checkout-reversed.text")
    reverse = compare(side(after.read_text(encoding="utf-8"), "after.tm"),
                      side(before.read_text(encoding="utf-8"), "before.tm"))  # fmt: skip
    for change in only(reverse, "data", "order", "carried_across"):
        names = change.old or change.new
        assert not (any("storefront" in x for x in names) and any(x.startswith("web") for x in names)), names


def test_ingress_compared_as_address_sets_per_port() -> None:
    assert ingress_gain_loss(["10.0.1.0/24:443"], ["10.0.1.0/25:443", "10.0.1.128/25:443"]) == (False, False)
    assert ingress_gain_loss(["10.0.1.0/24:443"], ["10.0.0.0/16:443"]) == (True, False)
    assert ingress_gain_loss(["10.0.0.0/16:443"], ["10.0.1.0/24:443"]) == (False, True)
    assert ingress_gain_loss(["10.0.1.0/24:443"], ["10.0.1.0/24:443-444"]) == (True, False)
    assert ingress_gain_loss(["10.0.1.0/24:80-90"], ["10.0.1.0/24:80-85", "10.0.1.0/24:86-90"]) == (False, False)
    assert ingress_gain_loss(["10.0.1.0/24:443"], ["10.0.1.0/25:443", "10.9.0.0/16:443"]) == (True, True)
    assert ingress_gain_loss(["::/0:443", "0.0.0.0/0:443"], ["0.0.0.0/0:443"]) == (False, True)

    base = 'process web "Web" { ingress: ["10.0.1.0/24:443"] }\n'
    same = base.replace('"10.0.1.0/24:443"', '"10.0.1.0/25:443", "10.0.1.128/25:443"')
    forward, _ = both(base, same)
    assert not only(forward, "elements", "web", "ingress")  # was: reported, [strengthens]
    mixed = base.replace('"10.0.1.0/24:443"', '"10.0.1.0/25:443", "10.9.0.0/16:443"')
    forward, backward = both(base, mixed)
    widened, narrowed = only(forward, "elements", "web", "ingress")
    assert (widened.effect, narrowed.effect) == (WEAKENED, STRENGTHENED)
    # the entries added and removed, not both whole lists (was: `widened [a] → [a, b, c]`)
    assert describe(widened) == "element web: ingress widened: added 10.0.1.0/25:443, 10.9.0.0/16:443"
    assert describe(narrowed) == "element web: ingress narrowed: removed 10.0.1.0/24:443"
    assert [c.effect for c in only(backward, "elements", "web", "ingress")] == [WEAKENED, STRENGTHENED]


def test_a_boundary_trust_change_is_the_boundarys_not_a_move() -> None:
    old = 'boundary partner "Partner" { trust: low  external analytics "Analytics" }\n'
    forward, backward = both(old, old.replace("trust: low", "trust: untrusted"))
    assert lines(forward) == {
        "boundary partner: trust lowered from low to untrusted": WEAKENED
    }  # not `analytics moved`
    assert lines(backward) == {"boundary partner: trust raised from untrusted to low": STRENGTHENED}


def test_words_for_added_decisions_assumptions_and_one_change() -> None:
    old = 'team { ann "Ann" security_lead }\nprocess web "Web"\nassume "X is fine"\n'
    new = old + 'risk AC19 on web { status: false_positive, owner: ann, justification: "no" }\n'
    forward, backward = both(old, new.replace('assume "X is fine"', 'assume "Y is fine"'))
    text = render_text([forward])
    assert "+ added decision AC19 on web (false_positive, stale: it matches no finding)" in text  # not "went stale"
    assert "went stale" not in text and "went stale" not in render_text([backward])
    assert '+ added assumption "Y is fine"\n' in text  # the text once, not `Y is fine ("Y is fine")`
    one, _ = both(old, old.replace("X is fine", "X is fine, really"))
    assert "<summary>2 model changes</summary>" in render_markdown([one])
    single, _ = both(old, old + 'process api "API"\n')
    assert "<summary>1 model change</summary>" in render_markdown([single])


def test_neutral_changes_stay_neutral_both_ways() -> None:
    old = 'process web "Web" { description: "a" }\n'
    forward, backward = both(old, old.replace('"a"', '"b"'))
    assert [c.effect for c in forward.changes] == [c.effect for c in backward.changes] == [NEUTRAL]


def test_ingress_opened_to_the_world_says_so() -> None:
    base = 'process web "Web" { ingress: ["10.0.1.0/24:443"] }\n'
    forward, backward = both(base, base.replace('"10.0.1.0/24:443"', '"10.0.1.0/24:443", "0.0.0.0/0:443"'))
    assert lines(forward) == {"element web: ingress widened to the world: added 0.0.0.0/0:443": WEAKENED}
    assert lines(backward) == {
        "element web: ingress narrowed, no longer open to the world: removed 0.0.0.0/0:443": STRENGTHENED
    }
    v6, _ = both(base, base.replace('"10.0.1.0/24:443"', '"::/0:443"'))
    assert [line for line in lines(v6) if "widened" in line] == [
        "element web: ingress widened to the world: added ::/0:443"  # then narrowed: 10.0.1.0/24 removed
    ]
    near, _ = both(base, base.replace("10.0.1.0/24", "10.0.0.0/8"))
    assert list(lines(near)) == ["element web: ingress widened: added 10.0.0.0/8:443; removed 10.0.1.0/24:443"]


def test_attribute_changes_in_words() -> None:
    old = (
        'model "M" { scope: "s", reviewed: 2026-01-01 }\n'
        'boundary prod "Prod" { trust: high, audit_log: true, mfa: required\n'
        '  process web "Web" { owner: ann }\n  datastore db "DB"\n}\n'
        'team { ann "Ann" security_lead\n bob "Bob" developer }\n'
        'web -> db "Save" { protocol: postgres, tls: 1.3, encrypted: true }\n'
    )
    new = (old.replace("audit_log: true", "audit_log: false").replace("mfa: required", "mfa: optional")
           .replace("owner: ann", "owner: bob").replace("tls: 1.3", "tls: 1.0").replace("2026-01-01", "2026-06-01")
           .replace("encrypted: true", "encrypted: true, port: 5432"))  # fmt: skip
    forward, backward = both(old, new)
    text = render_text([forward])
    for line in ("boundary prod: audit_log turned off", "boundary prod: mfa lowered from required to optional",
                 "element web: owner changed from ann to bob", "model header: review date changed from 2026-01-01 to "
                 "2026-06-01", 'flow web -> db "Save": tls lowered from 1.3 to 1.0',
                 'flow web -> db "Save": port set to 5432'):  # fmt: skip
        assert line in text, text
    back = render_text([backward])
    assert "boundary prod: audit_log turned on" in back and 'flow web -> db "Save": port removed (was 5432)' in back
    assert "true → false" not in text and "→ optional" not in text  # was: `audit_log true → false`


def test_a_model_on_one_side_only_is_named_in_the_header() -> None:
    model = side('process web "Web"\n')
    added = compare(Side.empty(today=TODAY), model, "", "new.tm")
    assert render_text([added]).startswith("(no old version: the model is new) → new.tm\n")  # was: `(none) → new.tm`
    assert "#### (no new version: the model was removed)" not in render_markdown([added])
    removed = compare(model, Side.empty(today=TODAY), "HEAD~1:old.tm", "")
    assert render_text([removed]).startswith("HEAD~1:old.tm → (no new version: the model was removed)\n")
    assert r"#### HEAD\~1:old.tm → (no new version: the model was removed)" in render_markdown([removed])
