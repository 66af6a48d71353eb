"""Hostile models: every free-text field of every kind (labels and every string attribute of the
schema) holding attacker-chosen text, for tests/security/test_payloads.py.

`model_text(assign)` writes one model in which field `f` holds `assign(f)`; the fields come from
the schema, so a string attribute added later is attacked too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tmdiag.model import schema

PAYLOADS: tuple[str, ...] = (
    "<script>window.__pwned='script'</script>",
    '"><img src=x onerror="window.__pwned=\'img\'">',
    "' onmouseover='window.__pwned=\"attr\"' x='",
    "javascript:window.__pwned='js-url'",
    "<a href=\"javascript:window.__pwned='a'\">link</a>",
    "<svg onload=\"window.__pwned='svg'\"><foreignObject><body onload=\"window.__pwned='fo'\"></body></foreignObject>",
    "]]><script>window.__pwned='cdata'</script><![CDATA[",
    "--><script>window.__pwned='comment'</script><!--",
    "[click](javascript:window.__pwned='md') ![img](http://evil.invalid/x.png) <http://evil.invalid>",
    "Alice\u202e",
    "\u2067admin\u2069 \u202bembedded \u2066isolated",
    "{{ 7*7 }} {{ environment }} {% raw %} {# open comment",
    "{% include '/etc/passwd' %}{{ config.__class__ }}",
    '=HYPERLINK("http://evil.invalid","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "R&D shop <v2> &amp; &lt;b&gt; | pipe | *star* _under_ `tick` # hash $math$ ~~strike~~",
    'line one\\nline two\\ttab \\\\ backslash \\" quote',
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 2 3",
    "\\\"\\\"\\\"''' ); __import__('pathlib').Path('pwned-by-export').touch()  # \\n#",  # Python: export --to pytm
)
LONG = "L" * 9_990 + " the end"  # a 10,000-character label, in every field of a model of its own

ELEMENT_KINDS = schema.ELEMENT_KINDS
_TEXT_TYPES = (schema.STR, schema.STRS)


@dataclass(frozen=True)
class Field:
    kind: str
    attr: str  # "label" for the declaration's label

    def __str__(self) -> str:
        return f"{self.kind}.{self.attr}"


def fields() -> list[Field]:
    """Every free-text field: the label of each kind of declaration and each string attribute."""
    labelled = ("model", "member", "data", "threat_agent", "boundary", *ELEMENT_KINDS, "flow", "reply", "control",
                "assume", "rule")  # fmt: skip
    found = [Field(kind, "label") for kind in labelled]
    for kind, attrs in schema.SCHEMAS.items():
        found += [Field(kind, a.name) for a in attrs if a.type in _TEXT_TYPES]
    return found


def tm_string(text: str) -> str:
    """`text` as a .tm string literal; the language's own escapes in it (`\\n`, `\\\\`, `\\"`) are kept."""
    out = []
    i = 0
    while i < len(text):  # keep the payload's own escapes (`\n`, `\\`, `\"`), quote bare quotes
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in 'nt"\\':
            out.append(text[i : i + 2])
            i += 2
            continue
        out.append('\\"' if text[i] == '"' else "\\\\" if text[i] == "\\" else text[i])
        i += 1
    return '"' + "".join(out) + '"'


def model_text(assign: Callable[[Field], str], risk: tuple[str, str] | None = None) -> str:
    """A model that validates, with `assign(field)` in every free-text field. `risk`: (threat id,
    target) of a decision to record (one that applies, so the analysis keeps it)."""

    def text(kind: str, attr: str = "label") -> str:
        return tm_string(assign(Field(kind, attr)))

    def attrs(kind: str, extra: str = "") -> str:
        parts = []
        for attr in schema.SCHEMAS[kind]:
            if attr.type == schema.STR:
                parts.append(f"{attr.name}: {text(kind, attr.name)}")
            elif attr.type == schema.STRS:
                parts.append(f"{attr.name}: [{text(kind, attr.name)}]")
        return "{ " + ", ".join([*parts, *([extra] if extra else [])]) + " }"

    element_ids = {kind: f"e_{kind}" for kind in ELEMENT_KINDS}
    outside = ("actor", "external")
    header = "owner: alice, reviewed: 2026-01-01, review_every: 90d, rules: replace"
    lines = [
        # `rules: replace`: the one custom rule below finds one threat on every element and flow, so each
        # carries model text into threat cards, evidence and the plan without pytm's hundreds of findings
        f"model {text('model')} {attrs('model', header)}",
        f'team {{ alice {text("member")} security_lead {attrs("member")}  bob "Bob" developer }}',
        f"data card {text('data')} {attrs('data', 'classification: secret, pii: true')}",
        f"threat_agent crook {text('threat_agent')} {attrs('threat_agent', 'skill: high, enters: [internet]')}",
        f"boundary internet {text('boundary')} {{ trust: untrusted, description: {text('boundary', 'description')}",
        *(f"  {k} {element_ids[k]} {text(k)} {attrs(k, 'owner: alice')}" for k in outside),
        "}",
        'boundary prod "Production" { trust: high, owner: alice',
        *(f"  {k} {element_ids[k]} {text(k)} {attrs(k, 'owner: bob')}" for k in ELEMENT_KINDS if k not in outside),
        "}",
    ]
    sink = element_ids["process"]
    kinds = ", ".join(ELEMENT_KINDS)
    for kind in ELEMENT_KINDS:
        if kind != "process":
            lines.append(f"{element_ids[kind]} -> {sink} {text('flow')} {attrs('flow', 'data: [card]')}"
                         f" reply {text('reply')}")  # fmt: skip
    lines += [
        f"control waf {text('control')} {attrs('control', f'on: [{sink}], owner: alice')}",
        f"assume {text('assume')} {{ on: [{sink}] }}",
        f"rule ORG001 {text('rule')} {attrs('rule', f'severity: high, targets: [{kinds}, flow], when: not hardened')}",
    ]
    if risk is not None:
        threat, target = risk
        lines.append(f"risk {threat} on {target} {{ status: open, owner: bob, justification: "
                     f"{text('risk', 'justification')}, ticket: {text('risk', 'ticket')} }}")  # fmt: skip
    return "\n".join(lines) + "\n"
