"""The attribute tables of docs/language.md and dsl/SPEC.md, generated from the schema.

Each table sits between markers that name what it shows:

    <!-- BEGIN schema:datastore -->  ...  <!-- END schema:datastore -->
    <!-- BEGIN group:controls -->    ...  <!-- END group:controls -->

`make docs` rewrites every table in place; `make lint` (and a test) fails when a table differs
from what the schema says, so the docs cannot drift from `tmdiag/model/schema.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tmdiag.model import schema

DOCUMENTS = ("docs/language.md", "dsl/SPEC.md")
# Attribute groups several kinds share, documented once.
GROUPS: dict[str, tuple[schema.Attr, ...]] = {
    "common": schema.COMMON,
    "controls": schema.CONTROLS,
    "asset": schema.ASSET,
}
_GROUP_TITLES = {
    "common": "common element attributes",
    "controls": "security controls",
    "asset": "asset attributes",
}
_BLOCK = re.compile(r"(<!-- BEGIN (schema|group):([a-z_]+) -->\n).*?(<!-- END \2:\3 -->)", re.DOTALL)
_REF_WORDS = {**schema.REF_NOUNS, "element": "element or flow", "kind": "element kind or `flow`"}


def type_words(attr: schema.Attr) -> str:
    """The attribute's type as a reader wants it."""
    ref = _REF_WORDS.get(attr.ref or "", attr.ref or "")
    return {
        schema.BOOL: "`true` / `false`",
        schema.INT: "number",
        schema.STR: "string",
        schema.ENUM: " · ".join(f"`{v}`" for v in attr.values),
        schema.DATE: "date `YYYY-MM-DD`",
        schema.DURATION: "duration (`36h`, `90d`, `12w`, `1y`)",
        schema.REF: f"id of a {ref}",
        schema.REFS: f"list of {ref} ids",
        schema.STRS: "list of strings",
        schema.TLS: "TLS version: " + " · ".join(f"`{v}`" for v in attr.values or schema.TLS_VERSIONS),
        schema.INGRESS: 'list of `"CIDR:port"` / `"CIDR:from-to"` / `"CIDR:*"`',
        schema.PORT: "port `0`–`65535`",
        schema.ICON: "icon `provider.name`",
        schema.IDS: "list of threat ids",
        schema.ADDRESSES: 'list of resource addresses (`"aws_s3_bucket.logs"`)',
    }.get(attr.type, attr.type)


def default_words(attr: schema.Attr) -> str:
    value = attr.default
    if attr.required and (value is None or attr.type in (schema.REFS, schema.IDS)):
        return "**required**"
    if value is None or value == "" or value == () or value == -1:
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def table(attrs: tuple[schema.Attr, ...] | list[schema.Attr]) -> str:
    rows = ["| attribute | value | default | meaning | pytm |", "|---|---|---|---|---|"]
    for attr in attrs:
        pytm = f"`{attr.pytm}`" if attr.pytm else ""
        doc = attr.doc.replace("|", "\\|")
        name = f"`{attr.name}`" + "".join(f" (or `{alias}`)" for alias in attr.aliases)
        rows.append(f"| {name} | {type_words(attr)} | {default_words(attr)} | {doc} | {pytm} |")
    return "\n".join(rows) + "\n"


def groups_of(kind: str) -> list[str]:
    """The shared groups a kind includes whole."""
    names = {a.name for a in schema.SCHEMAS[kind]}
    return [g for g, attrs in GROUPS.items() if len(attrs) > 3 and {a.name for a in attrs} <= names]


def kind_table(kind: str) -> str:
    groups = groups_of(kind)
    shared = {a.name for g in groups for a in GROUPS[g]}
    own = [a for a in schema.SCHEMAS[kind] if a.name not in shared]
    out = table(own) if own else ""
    if groups:
        links = ", ".join(f"[{_GROUP_TITLES[g]}](#{_anchor(_GROUP_TITLES[g])})" for g in groups)
        out += f"\nAlso: {links}.\n"
    for attr in (a for a in schema.SCHEMAS[kind] if a.aliases and a.name in shared):
        names = " or ".join(f"`{alias}`" for alias in attr.aliases)
        doc = attr.doc[:1].lower() + attr.doc[1:]
        out += (f"\nOn a {kind}, `{attr.name}` may also be written {names}; both mean: {doc} One attribute: "
                "write one of the names; giving both is an error (E204).\n")  # fmt: skip
    return out


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")


def render(text: str) -> str:
    """`text` with every marked table regenerated."""

    def replace(match: re.Match[str]) -> str:
        what, name = match.group(2), match.group(3)
        if what == "group":
            body = table(GROUPS[name]) if name in GROUPS else f"(unknown group `{name}`)\n"
        else:
            body = kind_table(name) if name in schema.SCHEMAS else f"(unknown kind `{name}`)\n"
        return f"{match.group(1)}\n{body}\n{match.group(4)}"

    return _BLOCK.sub(replace, text)


def files(root: Path) -> dict[Path, str]:
    """The documents (paths relative to `root`) with every marked table regenerated."""
    return {Path(name): render((root / name).read_text(encoding="utf-8")) for name in DOCUMENTS}
