"""Validation: names resolve, ids are unique, every attribute fits the schema of its kind.

Error codes (documented in dsl/SPEC.md):
  E101 undefined name · E102 duplicate id · E103 flow endpoint is not an element
  E104 reference to the wrong kind of thing · E201 unknown attribute · E202 wrong value type
  E203 unknown enum value · E205 missing attribute · E401 unknown threat id
  E402 decision target is not an element or flow · E403 decision without a valid owner
  E404 decision missing what its status needs · E405 rule condition does not type-check
  E206 a view that draws nothing
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tmdiag.diagnostics import Diagnostic, Fix, Span, a_or_an, hint_for, suggestion
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.semantics import rules as rule_types
from tmdiag.semantics import threatlib

_GROUP_WORDS = {
    "member": "a team member", "data": "a data asset", "threat_agent": "a threat agent",
    "boundary": "a boundary", "flow": "a flow", "control": "a control", "rule": "a rule", "view": "a view",
}  # fmt: skip


def describe(node: n.Node) -> str:
    if isinstance(node, n.Element):
        return {"external": "an external entity", "llm": "an LLM", "agent": "an AI agent",
                "actor": "an actor"}.get(node.kind, f"a {node.kind}")  # fmt: skip
    return _GROUP_WORDS.get(node.schema_kind, f"a {node.kind}")


class Validator:
    def __init__(self, model: n.Model):
        self.model = model
        self.diagnostics: list[Diagnostic] = []
        self.names: dict[str, n.Node] = {}
        self.threat_ids = set(threatlib.catalogue()) | {r.id for r in model.rules}
        self.checked_rules: dict[str, rule_types.Checked] = {}

    def error(self, code: str, message: str, span: Span, hint: str | None = None,
              related: tuple[tuple[str, Span], ...] = (), fix: Fix | None = None) -> None:  # fmt: skip
        """Report a problem; a suggested `fix` also gives the hint ("did you mean …") unless one is given."""
        hint = hint or hint_for(fix)
        self.diagnostics.append(Diagnostic(code, message, span, hint=hint, related=related, fix=fix))

    def run(self) -> list[Diagnostic]:
        self.declare()
        for node in self.model.nodes():
            self.attributes(node)
        for member in self.model.team:
            self.roles(member)
        for node in (*self.model.risks, *self.model.assumptions):
            self.attributes(node)
        if self.model.info is not None:
            self.attributes(self.model.info)
        self.flows()
        self.decisions()
        self.custom_rules()
        self.views()
        return self.diagnostics

    # ---- names --------------------------------------------------------------------------
    def declare(self) -> None:
        for node in self.model.nodes():
            if isinstance(node, n.Flow) and not node.named:
                continue
            if isinstance(node, n.CustomRule):
                continue
            first = self.names.get(node.id)
            if first is not None:
                self.error(
                    "E102",
                    f"`{node.id}` is already declared as {describe(first)}",
                    node.id_span,
                    related=(("first declared here", first.id_span),),
                )
                continue
            self.names[node.id] = node
        for flow in self.model.flows:  # ids tmdiag gives (`flow-3`, `q-reply`) must not be taken by a name
            taken = None if flow.named else self.names.get(flow.id)
            if taken is not None:
                self.error(
                    "E102",
                    f"`{flow.id}` is also the id of flow {flow.number} (`{flow.source} -> {flow.sink}`), "
                    "which has no name of its own",
                    taken.id_span,
                    hint=f"pick another id for {describe(taken)}",
                    related=((f"flow {flow.number}", flow.span),),
                )
        rule_ids: dict[str, n.CustomRule] = {}
        replaces_library = self.model.info is not None and self.model.info.get("rules") == "replace"
        for rule in self.model.rules:
            if rule.id in rule_ids:
                self.error(
                    "E102",
                    f"rule `{rule.id}` is already declared",
                    rule.id_span,
                    related=(("first declared here", rule_ids[rule.id].id_span),),
                )
            elif threatlib.is_lint_code(rule.id):
                self.error(
                    "E102",
                    f"rule id `{rule.id}` is reserved: `TMnnn` names tmdiag's lint rules",
                    rule.id_span,
                    hint="pick another id (decisions name lint findings by their rule code)",
                )
            elif rule.id in threatlib.catalogue() and not replaces_library:
                self.error(
                    "E102",
                    f"rule id `{rule.id}` is a pytm threat id",
                    rule.id_span,
                    hint="pick another id, or set `rules: replace` in the model header",
                )
            rule_ids.setdefault(rule.id, rule)

    def lookup(self, name: str, want: str, span: Span) -> n.Node | None:
        """Resolve a reference; `want` is a ref kind from the schema."""
        node = self.names.get(name)
        if node is not None and _fits(node, want):
            return node
        pool = [k for k, v in self.names.items() if _fits(v, want)]
        if node is None and name in self.model.unparsed_names:
            return None  # declared, perhaps, in a statement with a syntax error (reported already)
        if node is None:
            what = _WANT_WORDS.get(want, want)
            fix = suggestion(name, pool)
            self.error("E101", f"{what} `{name}` is not declared", span, _name_hint(name, pool, want, fix), fix=fix)
            return None
        self.error(
            "E104",
            f"`{name}` is {describe(node)}, not {a_or_an(_WANT_WORDS.get(want, want))}",
            span,
            fix=suggestion(name, pool),
            related=(("declared here", node.id_span),),
        )
        return None

    def threat_fix(self, written: str) -> Fix | None:
        """`INP2` and `INPO2` (letter O) mean `INP02`; otherwise the closest id."""
        match = re.fullmatch(r"([A-Za-z]{1,8}?)([0-9Oo]{1,4})", written)  # bounded: int() of 5,000 digits raises
        if match:
            number = match.group(2).replace("O", "0").replace("o", "0")
            for width in (2, 3, 1):
                candidate = f"{match.group(1).upper()}{int(number):0{width}d}"
                if candidate in self.threat_ids and candidate != written:
                    return Fix(candidate)
        return suggestion(written, sorted(self.threat_ids))

    # ---- attributes ---------------------------------------------------------------------
    def attributes(self, node: n.Node) -> None:
        specs = schema.BY_NAME[node.schema_kind]
        written: dict[str, n.Attribute] = {}  # attribute name -> where it was first given
        for attr in node.attributes:
            spec = specs.get(attr.key)
            first = written.setdefault(spec.name, attr) if spec is not None else attr
            if spec is not None and first is not attr:  # one attribute under two names (an alias)
                others = [k for k in dict.fromkeys((first.key, attr.key)) if k != spec.name]
                also = " and ".join(f"`{k}`" for k in others) + (
                    " is another name" if len(others) == 1 else " are other names"
                )
                self.error(
                    "E204",
                    f"attribute `{spec.name}` given twice: {also} for it",
                    _key_span(attr),
                    hint=f"first given at line {first.span.line}; keep one",
                    related=(("first given here", first.span),),
                )
                continue
            if spec is None:
                where = _HEADER_WORDS.get(node.schema_kind) or describe(node)
                key_span = _key_span(attr)
                pytm = schema.from_pytm(node.schema_kind, attr.key)
                if pytm is not None and pytm[1] != attr.key:  # `storesPII`: pytm's name for `stores_pii`
                    hint = f"pytm's `{pytm[0]}` is `{pytm[1]}` in tmdiag"
                    fix = Fix(pytm[1])
                    self.error("E201", f"unknown attribute `{attr.key}` for {where}", key_span, hint, fix=fix)
                    continue
                self.error("E201", f"unknown attribute `{attr.key}` for {where}", key_span,
                           fix=suggestion(attr.key, specs))  # fmt: skip
                continue
            self.value(spec, attr)
        for spec in schema.SCHEMAS[node.schema_kind]:
            if spec.required and not node.has(spec.name) and (spec.default is None or spec.type in _LISTS):
                self.error(
                    "E205",
                    f"{describe(node) if isinstance(node, n.Element) else node.schema_kind} "
                    f"`{node.id}` needs `{spec.name}:`",
                    node.id_span,
                    hint=f"{spec.name}: {spec.doc}",
                )

    def value(self, spec: schema.Attr, attr: n.Attribute) -> None:
        value, span = attr.value, attr.value_span
        kind = spec.type
        if kind in (schema.REFS, schema.STRS, schema.INGRESS, schema.IDS, schema.ADDRESSES):
            items: tuple[Span, ...]
            if not isinstance(value, tuple):
                value, items = (value,), (span,)  # one item may be written without brackets
            else:
                items = attr.item_spans or (span,) * len(value)
            for item, item_span in zip(value, items, strict=False):
                self.item(spec, item, item_span)
            return
        if isinstance(value, tuple):
            self.error("E202", f"`{attr.key}` takes {_TYPE_WORDS[kind]}, not a list", span)
            return
        self.item(spec, value, span)

    def item(self, spec: schema.Attr, value: object, span: Span) -> None:
        kind = spec.type
        if value is None:  # already reported by the builder (bad date)
            return
        wrong = f"`{spec.name}` takes {_TYPE_WORDS[kind]}, not {_describe_value(value)}"
        if kind == schema.BOOL:
            if not isinstance(value, bool):
                word = str(value).lower() if isinstance(value, (n.Name, str)) else ""
                meant = {"true": "true", "yes": "true", "on": "true", "false": "false", "no": "false", "off": "false"}
                fix = Fix(meant[word]) if word in meant else None  # `True`, `"yes"`, `off`: the boolean meant
                self.error("E202", wrong, span, hint=f"write `{spec.name}: true` or `{spec.name}: false`", fix=fix)
        elif kind == schema.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                self.error("E202", wrong, span)
        elif kind == schema.PORT:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
                self.error("E202", f"`{spec.name}` takes a port number (0-65535), not {_describe_value(value)}", span)
        elif kind in (schema.STR, schema.STRS):
            if isinstance(value, n.Name) and spec.name in schema.UNQUOTED_OK:
                return  # short identifiers read well unquoted: `protocol: https`
            if not isinstance(value, str) or isinstance(value, n.Name):
                hint = f'quote it: "{value}"' if isinstance(value, n.Name) else None
                self.error("E202", wrong, span, hint=hint)
        elif kind == schema.DATE:
            if not isinstance(value, datetime.date):
                self.error("E202", wrong, span, hint="write dates as YYYY-MM-DD")
        elif kind == schema.DURATION:
            if not isinstance(value, n.Duration):
                self.error("E202", wrong, span, hint="write durations like 90d, 12w or 1y")
        elif kind == schema.ENUM:
            if not isinstance(value, str) or str(value) not in spec.values:
                self.error(
                    "E203",
                    f"`{_written(value)}` is not a valid `{spec.name}`; expected one of "
                    + ", ".join(f"`{v}`" for v in spec.values),
                    span,
                    fix=suggestion(str(value), spec.values) if isinstance(value, str) else None,
                )
        elif kind == schema.TLS:
            if schema.tls_version(value) is None:
                self.error(
                    "E203",
                    f"`{_written(value)}` is not a TLS version; expected one of "
                    + ", ".join(f"`{v}`" for v in schema.TLS_VERSIONS),
                    span,
                )
        elif kind in (schema.REF, schema.REFS):
            if not isinstance(value, n.Name) or "." in value:
                self.error("E202", f"`{spec.name}` takes {_TYPE_WORDS[kind]}, not {_describe_value(value)}", span)
            elif spec.ref == "kind":
                if value not in schema.RULE_TARGETS:
                    self.error(
                        "E203", f"`{value}` is not an element kind", span, fix=suggestion(value, schema.RULE_TARGETS)
                    )
            else:
                self.lookup(str(value), spec.ref or "element", span)
        elif kind == schema.IDS:
            if not isinstance(value, str):
                self.error("E202", wrong, span)
            elif value not in self.threat_ids and not threatlib.is_lint_code(value):
                self.error("E401", f"unknown threat id `{value}`", span, fix=self.threat_fix(str(value)))
        elif kind == schema.INGRESS:
            problem = ingress_problem(value)
            if problem:
                hint = 'write rules as "CIDR:port", "CIDR:from-to" or "CIDR:*", e.g. "10.0.0.0/16:443"'
                self.error("E202", problem, span, hint=hint)
        elif kind == schema.ADDRESSES:
            if not isinstance(value, str) or isinstance(value, n.Name):
                self.error("E202", f"a resource address is a quoted string, not {_describe_value(value)}", span,
                           hint=f'quote it: "{value}"' if isinstance(value, n.Name) else None)  # fmt: skip
            elif problem := schema.address_problem(value):
                self.error("E202", problem, span, hint=schema.ADDRESS_FORMS)
        elif kind == schema.ICON and (not isinstance(value, n.Name) or value.count(".") not in (1, 2)):
            self.error("E202", "`icon` takes `provider.name` or `provider.module.name` like `aws.ec2` or "
                       f"`gcp.compute.gce`, not {_describe_value(value)}", span)  # fmt: skip

    def roles(self, member: n.Member) -> None:
        for role, span in zip(member.roles, member.role_spans, strict=False):
            if role not in schema.ROLES:
                self.error(
                    "E203",
                    f"`{role}` is not a team role; expected one of " + ", ".join(f"`{r}`" for r in schema.ROLES),
                    span,
                    fix=suggestion(role, schema.ROLES),
                )

    # ---- flows and decisions ------------------------------------------------------------
    def flows(self) -> None:
        for flow in self.model.flows:
            for end, span in ((flow.source, flow.source_span), (flow.sink, flow.sink_span)):
                assert span is not None
                node = self.names.get(end)
                if node is None and end in self.model.unparsed_names:
                    continue
                if node is None:
                    pool = [k for k, v in self.names.items() if isinstance(v, n.Element)]
                    fix = suggestion(end, pool)
                    self.error("E101", f"element `{end}` is not declared", span, _name_hint(end, pool, "element", fix),
                               fix=fix)  # fmt: skip
                elif not isinstance(node, n.Element):
                    self.error(
                        "E103",
                        f"a flow connects elements; `{end}` is {describe(node)}",
                        span,
                        related=(("declared here", node.id_span),),
                    )

    def decisions(self) -> None:
        for risk in self.model.risks:
            if risk.threat_pattern:
                if not any(fnmatch.fnmatchcase(tid, risk.id) for tid in self.threat_ids):
                    self.error("E401", f"the pattern \"{risk.id}\" matches no threat id", risk.id_span,
                               hint='`*` matches any run of characters: "INP*" is every INP threat')  # fmt: skip
            elif risk.id not in self.threat_ids and not threatlib.is_lint_code(risk.id):
                self.error("E401", f"unknown threat id `{risk.id}`", risk.id_span, fix=self.threat_fix(risk.id))
            assert risk.target_span is not None
            if risk.scope == "id":
                self.decision_target(risk)
            elif risk.scope == "pattern" and not any(fnmatch.fnmatchcase(i, risk.target) for i in self.target_ids()):
                hint = '`*` matches any run of characters: "db-*" is every id that starts with `db-`'
                message = f'the pattern "{risk.target}" matches no element or flow id'
                self.error("E402", message, risk.target_span, hint=hint)
            self.decision_fields(risk)

    def target_ids(self) -> Iterator[str]:
        """Ids a decision may name: elements and named flows (declared anywhere), and the flows here."""
        yield from (name for name, node in self.names.items() if isinstance(node, (n.Element, n.Flow)))
        yield from (flow.id for flow in self.model.flows)

    def decision_target(self, risk: n.RiskDecision) -> None:
        """`on NAME`: an element, a flow, or a boundary (everything inside it)."""
        assert risk.target_span is not None
        target = self.names.get(risk.target)
        if target is None and risk.target in self.model.unparsed_names:
            return
        if target is None:
            pool = [k for k, v in self.names.items() if _fits(v, "protected")]
            self.error("E402", f"`{risk.target}` is not declared", risk.target_span, fix=suggestion(risk.target, pool))
        elif isinstance(target, n.DataAsset) and not threatlib.is_lint_code(risk.id) and not risk.threat_pattern:
            self.error(
                "E402",
                f"threats apply to elements and flows; `{risk.target}` is {describe(target)}",
                risk.target_span,
                hint="a decision on a data asset decides what a lint rule finds on it (`risk TM303 on creds`)",
            )
        elif not isinstance(target, (n.Element, n.Flow, n.Boundary, n.DataAsset)):
            self.error(
                "E402",
                f"a risk decision applies to an element, a flow, a boundary or a data asset; `{risk.target}` is "
                f"{describe(target)}",
                risk.target_span,
            )

    def decision_fields(self, risk: n.RiskDecision) -> None:
        status = str(risk.get("status"))
        if status not in schema.DECISIONS:
            return  # reported as E203; what an unknown status needs is unknown
        broad = risk.threat_pattern or risk.scope != "id" or isinstance(self.names.get(risk.target), n.Boundary)
        if broad and status not in ("open", "in_progress") and not risk.has("justification"):
            self.error(
                "E404",
                f"`{status}` risk `{risk.id}` on `{risk.target}` decides many findings at once and needs "
                "`justification:`",
                risk.span,
                hint="a decision on a boundary, a kind or a pattern says why it holds for everything it covers",
            )
        if status != "open" and not risk.has("owner"):
            self.error(
                "E403",
                f"`{status}` risk `{risk.id}` on `{risk.target}` needs an `owner:` from the team",
                risk.span,
                hint="every decision has a risk owner: add `owner: <team member>`",
            )
        needs = _DECISION_NEEDS.get(status, ())
        for key in needs:
            if not risk.has(key):
                self.error(
                    "E404",
                    f"`{status}` risk `{risk.id}` on `{risk.target}` needs `{key}:`",
                    risk.span,
                    hint=f"{key}: {schema.BY_NAME['risk'][key].doc}",  # as E205 says it
                )

    def views(self) -> None:
        """A view must draw something: `include:` names something, not all of it excluded."""
        for view in self.model.views:
            depth = view.attribute("depth")
            if depth is not None and type(depth.value) is int and depth.value < 0:
                self.error("E202", f"`depth` takes a whole number of 0 or more, not `{depth.value}`", depth.value_span)
            include = view.attribute("include")
            if include is None:
                continue  # E205 already says it is missing
            included = n.as_ids(include.value)
            excluded = set(n.as_ids(view.get("exclude")))
            if not included or set(included) <= excluded:
                self.error(
                    "E206",
                    f"view `{view.id}` draws nothing: "
                    + ("`include:` is empty" if not included else "everything it includes is excluded"),
                    include.span,
                    hint="name boundaries or elements: `include: [payments, psp]`"
                    if not included
                    else "take out of `exclude:` what the view should draw",
                )

    def custom_rules(self) -> None:
        self.checked_rules, problems = rule_types.check_rules(self.model)
        self.diagnostics.extend(problems)


_DECISION_NEEDS = {
    "mitigated": ("by",), "accepted": ("justification", "until"), "in_progress": ("due",),
    "false_positive": ("justification",), "transferred": ("justification",),
}  # fmt: skip
_LISTS = (schema.REFS, schema.IDS)
_HEADER_WORDS = {"model": "the model header", "risk": "a risk decision", "assume": "an assumption"}
_WANT_WORDS = schema.REF_NOUNS
_TYPE_WORDS = {
    schema.BOOL: "`true` or `false`", schema.INT: "a whole number", schema.STR: "a string",
    schema.ENUM: "one of a fixed set of names", schema.DATE: "a date", schema.DURATION: "a duration",
    schema.REF: "a name", schema.REFS: "a list of names", schema.STRS: "a list of strings",
    schema.TLS: "a TLS version", schema.INGRESS: "a list of ingress rules", schema.PORT: "a port",
    schema.ICON: "an icon name", schema.IDS: "a list of threat ids",
    schema.ADDRESSES: "a list of resource addresses",
}  # fmt: skip


def _name_hint(name: str, pool: list[str], want: str, fix: Fix | None) -> str | None:
    """Did you mean …, else what there is to choose from when that is short."""
    if fix is not None or not pool:
        return hint_for(fix)
    if want == "member":
        listed = ", ".join(f"`{m}`" for m in pool[:8])
        return f"the team is {listed}; add `{name}` to `team {{ … }}` or pick one of them"
    if len(pool) <= 8:
        what = _WANT_WORDS.get(want, want)
        plural = {"boundary": "boundaries", "boundary or element": "boundaries and elements"}.get(what, f"{what}s")
        return f"declared {plural}: " + ", ".join(f"`{p}`" for p in pool)
    return None


def _fits(node: n.Node, want: str) -> bool:
    if want == "scope":
        return isinstance(node, (n.Element, n.Boundary))
    if want == "element":
        return isinstance(node, (n.Element, n.Flow))
    if want == "protected":
        return isinstance(node, (n.Element, n.Flow, n.Boundary))
    if want == "member":
        return isinstance(node, n.Member)
    if want == "agent":
        return isinstance(node, n.ThreatAgent)
    return node.schema_kind == want


def _written(value: object) -> str:
    """A value as the model spells it (`true`, not Python's `True`)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe_value(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, n.Name):
        return f"the name `{value}`"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, datetime.date):
        return f"the date `{value.isoformat()}`"
    if isinstance(value, n.Duration):
        return f"the duration `{value}`"
    if isinstance(value, tuple):
        return "a list"
    return "this value"


def ingress_problem(value: object) -> str | None:
    """Why an ingress rule is malformed, or None."""
    if not isinstance(value, str) or isinstance(value, n.Name):
        return f"an ingress rule is a quoted string, not {_describe_value(value)}"
    parsed = schema.parse_ingress(value)
    return parsed if isinstance(parsed, str) else None


@dataclass(frozen=True)
class Validation:
    """What validation found, and the custom rules it type-checked (ready to evaluate)."""

    diagnostics: tuple[Diagnostic, ...]
    checked_rules: Mapping[str, rule_types.Checked]


def check(model: n.Model) -> Validation:
    validator = Validator(model)
    found = validator.run()
    return Validation(tuple(found), MappingProxyType(validator.checked_rules))


def validate(model: n.Model) -> list[Diagnostic]:
    """Every problem validation finds in a model (see the error codes above)."""
    return list(check(model).diagnostics)


def _key_span(attr: n.Attribute) -> Span:
    """The attribute's name, where it is written."""
    s = attr.span
    return Span(s.path, s.line, s.column, s.line, s.column + len(attr.key))
