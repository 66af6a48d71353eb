"""`tmdiag diff` output: text for a terminal, JSON (docs/schemas/diff.schema.json), and Markdown for
a pull-request comment (a summary line, a table of risk changes, collapsible details).

Every text taken from a model (labels, flow keys, values) is escaped for Markdown and HTML: a
hostile label cannot inject markup, links or mentions into a comment.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from tmdiag.diff import STRENGTHENED, WEAKENED, Change, FindingChange, ModelDiff, Uncompared
from tmdiag.diff.effects import ORDERED
from tmdiag.diff.keys import SECTIONS
from tmdiag.model import schema
from tmdiag.model.levels import RiskLevel
from tmdiag.model.schema import ELEMENT_KINDS

FORMAT_VERSION = 1
CATEGORY_TITLES = {
    "trust": "Boundaries and trust", "data": "Data", "controls": "Controls and control plane",
    "structure": "Elements, flows and other declarations", "decisions": "Decisions and assumptions",
    "owners": "Owners", "review": "Review", "other": "Other attributes",
}  # fmt: skip
CATEGORY_ORDER = {name: i for i, name in enumerate(CATEGORY_TITLES)}
EFFECT_ORDER = {WEAKENED: 0, STRENGTHENED: 1}
MAX_TABLE_ROWS = 50  # rows of the risk table in a comment; the rest are counted
MAX_DETAIL_LINES = 300


# ---- words -----------------------------------------------------------------------------------


def value_text(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        trust = f" (trust {value['trust']})" if value.get("trust") else ""
        return f"{value.get('id')}{trust}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]" if value else "none"
    return str(value)


_GROWTH_WORDS = {"crosses": "crosses", "carried_across": "carried across a boundary by", "stored_in": "stored in"}
_INGRESS_WORDS = {WEAKENED: "widened", STRENGTHENED: "narrowed"}


def _list(items: Sequence[Any]) -> str:
    return ", ".join(str(i) for i in items)


def describe(change: Change) -> str:
    """One line saying what changed, in words."""
    word = SECTIONS.get(change.section, change.section)
    what = f"{word} {change.subject}" if change.section != "model" else "model header"
    if change.section == "assumptions":  # keyed by its text
        what = f'{word} "{change.subject}"'
    old, new = change.old, change.new
    aspect = change.aspect
    if aspect == "exists":
        facts = _summary_facts(old if new is None else new, change.subject)
        return f"{'added' if old is None else 'removed'} {what}" + (f" ({facts})" if facts else "")
    if aspect == "id":
        return f"{word} {old} renamed to {new}"
    if aspect == "boundary":
        before, after = (value_text(v) if v else "the top level" for v in (old, new))
        return f"{what} moved from {before} to {after}"
    if aspect == "into_lower_trust":
        return f"{what}: {'now goes' if new else 'no longer goes'} into a zone of lower trust"
    if aspect in _GROWTH_WORDS:  # old: what it lost, new: what it gained (one of them)
        verb = _GROWTH_WORDS[aspect]
        return f"{what}: newly {verb} {_list(new)}" if new else f"{what}: no longer {verb} {_list(old)}"
    if aspect in ("on", "mitigates") and change.section == "controls":
        return (
            f"{what}: {aspect} now includes {_list(new)}"
            if new
            else f"{what}: {aspect} no longer includes {_list(old)}"
        )
    if aspect == "stale":
        return f"{what} {'went stale: it matches no finding any more' if new else 'matches a finding again'}"
    if aspect == "expired":
        return f"{what} {'has expired: the finding is open again' if new else 'no longer expired'}"
    if aspect == "ingress" and change.effect in _INGRESS_WORDS:
        return f"{what}: {_ingress_words(change)}"
    return f"{what}: {_attribute_words(aspect, old, new)}"


# Aspects that are not attributes written in a model, and the words for them.
_ASPECT_WORDS = {
    "reviewed": "review date",
    "until": "valid until",
    "review_every": "review interval",
    "label": "label",
    "kind": "kind",
}
_PORTS = frozenset(a.name for specs in schema.BY_NAME.values() for a in specs.values() if a.type == schema.PORT)


def _attribute_words(aspect: str, old: Any, new: Any) -> str:
    """`audit_log turned off`, `mfa lowered from required to optional`, `owner set to carol`."""
    name = _ASPECT_WORDS.get(aspect, aspect)
    if aspect in _PORTS:  # -1 is pytm's "no port": unset
        old, new = (None if v == -1 else v for v in (old, new))
    if (isinstance(old, bool) or isinstance(new, bool)) and bool(old) != bool(new):
        return f"{name} turned {'on' if new else 'off'}" + ("" if old is not None else " (was unset)")
    if old is None:
        return f"{name} set to {value_text(new)}"
    if new is None:
        return f"{name} removed (was {value_text(old)})"
    order = ORDERED.get(aspect)
    if order and str(old) in order and str(new) in order:
        way = "raised" if order.index(str(new)) > order.index(str(old)) else "lowered"
        return f"{name} {way} from {value_text(old)} to {value_text(new)}"
    return f"{name} changed from {value_text(old)} to {value_text(new)}"


def _ingress_words(change: Change) -> str:
    """Ingress as a set of `CIDR:port` entries: which were added and which removed; `to the world`
    when an added entry lets in every address (0.0.0.0/0, ::/0)."""
    old, new = [str(r) for r in change.old or ()], [str(r) for r in change.new or ()]
    added, removed = [r for r in new if r not in old], [r for r in old if r not in new]
    verb = _INGRESS_WORDS[change.effect]
    if change.effect == WEAKENED and any(_whole_internet(r) for r in added):
        verb += " to the world"
    elif change.effect == STRENGTHENED and any(_whole_internet(r) for r in removed):
        verb += ", no longer open to the world"
    entries = [f"added {_list(added)}"] if added else []
    entries += [f"removed {_list(removed)}"] if removed else []
    return f"ingress {verb}: {'; '.join(entries)}"


def _whole_internet(rule: str) -> bool:
    parsed = schema.parse_ingress(rule)
    return isinstance(parsed, schema.Ingress) and parsed.network.prefixlen == 0


def _summary_facts(summary: Any, subject: str) -> str:
    if not isinstance(summary, dict):
        return ""
    facts: list[str] = []
    if summary.get("label") and "source" not in summary and summary["label"] != subject:  # a flow's key holds its label
        facts.append(f'"{summary["label"]}"')
    if "source" in summary:
        facts.append(f"{summary['source']} → {summary['sink']}")
    elif summary.get("kind") in ELEMENT_KINDS:
        facts.append(str(summary["kind"]))
    if summary.get("boundary"):
        facts.append(f"in {value_text(summary['boundary'])}")
    if "trust" in summary and "boundary" not in summary:
        facts.append(f"trust {summary['trust']}")
    if summary.get("crosses"):
        facts.append(f"crosses {_list(summary['crosses'])}")
    if summary.get("into_lower_trust"):
        facts.append("into lower trust")
    if summary.get("data"):
        facts.append(f"carries {_list(summary['data'])}")
    if summary.get("classification"):
        facts.append(str(summary["classification"]))
    if summary.get("status"):
        facts.append(str(summary["status"]))
    if summary.get("stale"):
        facts.append("stale: it matches no finding")
    if summary.get("expired"):
        facts.append("expired")
    return ", ".join(facts)


def finding_text(change: FindingChange) -> str:
    state = change.state
    on = f"{state.target_kind} {change.target}"
    if change.kind == "new":
        return f"new {state.risk} {change.threat_id} {state.title} on {on} ({state.status})"
    if change.kind == "resolved":
        return f"resolved {state.risk} {change.threat_id} {state.title} on {on}"
    assert change.old is not None and change.new is not None
    if change.kind == "risk":
        return (f"{change.threat_id} {state.title} on {on}: risk {change.old.risk} → {change.new.risk}"
                f" ({change.new.status})")  # fmt: skip
    return f"{change.threat_id} {state.title} on {on}: {change.old.status} → {change.new.status} ({state.risk})"


def ordered(changes: Sequence[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (CATEGORY_ORDER.get(c.category, 99), EFFECT_ORDER.get(c.effect, 2),
                                          c.section, c.subject, c.aspect))  # fmt: skip


# ---- summary ---------------------------------------------------------------------------------


def summary(diff: ModelDiff) -> dict[str, Any]:
    kinds = Counter(f.kind for f in diff.findings)
    new_open: Counter[RiskLevel] = Counter(
        f.new.risk for f in diff.findings if f.new is not None and f.new.is_open and f.adds_open_risk(RiskLevel.INFO)
    )
    effects = Counter(c.effect for c in diff.changes)
    return {
        "changes": len(diff.changes), "weakened": effects[WEAKENED], "strengthened": effects[STRENGTHENED],
        "findings": {kind: kinds[kind] for kind in ("new", "resolved", "risk", "status")},
        "new_open_by_risk": {level.value: new_open[level] for level in RiskLevel.highest_first()},
        "new_open_at_or_above": {level.value: sum(f.adds_open_risk(level) for f in diff.findings)
                                 for level in RiskLevel.highest_first()},
    }  # fmt: skip


def _merge(summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {"changes": 0, "weakened": 0, "strengthened": 0, "findings": Counter(),
                             "new_open_by_risk": Counter(), "new_open_at_or_above": Counter()}  # fmt: skip
    for s in summaries:
        for key in ("changes", "weakened", "strengthened"):
            total[key] += s[key]
        for key in ("findings", "new_open_by_risk", "new_open_at_or_above"):
            total[key].update(s[key])
    total["findings"] = {k: total["findings"][k] for k in ("new", "resolved", "risk", "status")}
    for key in ("new_open_by_risk", "new_open_at_or_above"):
        total[key] = {lv.value: total[key][lv.value] for lv in RiskLevel.highest_first()}
    return total


def headline(s: dict[str, Any]) -> str:
    """`2 new open risks (1 critical, 1 high), 3 resolved; 12 model changes (3 weaken security)`."""
    opened = s["new_open_by_risk"]
    count = sum(opened.values())
    levels = ", ".join(f"{n} {level}" for level, n in opened.items() if n)
    parts = [f"{count} new open risk{'s' if count != 1 else ''}" + (f" ({levels})" if levels else "")]
    findings = s["findings"]
    if findings["resolved"]:
        parts.append(f"{findings['resolved']} resolved")
    if findings["risk"]:
        parts.append(f"{findings['risk']} risk level{'s' if findings['risk'] != 1 else ''} changed")
    if findings["status"]:
        parts.append(f"{findings['status']} status change{'s' if findings['status'] != 1 else ''}")
    changes = f"{s['changes']} model change{'s' if s['changes'] != 1 else ''}"
    effects = [f"{s['weakened']} weaken security"] if s["weakened"] else []
    effects += [f"{s['strengthened']} strengthen it"] if s["strengthened"] else []
    return ", ".join(parts) + f"; {changes}" + (f" ({', '.join(effects)})" if effects else "")


Result = ModelDiff | Uncompared  # one pair of versions: compared, or not (a version has errors)


def _compared(results: Sequence[Result]) -> list[ModelDiff]:
    return [r for r in results if isinstance(r, ModelDiff)]


def pair_title(result: Result) -> str:
    """`HEAD~1:shop.tm → shop.tm`: the old side, then the new, each as shown (a revision's file as
    `REV:path`); a side that does not exist is said so (a model added or removed)."""
    old = result.old or "(no old version: the model is new)"
    new = result.new or "(no new version: the model was removed)"
    return f"{old} → {new}"


def uncompared_text(result: Uncompared) -> str:
    """Why a pair was not compared, in one sentence."""
    count = f"{result.errors} error{'s' if result.errors != 1 else ''}"
    name = result.old if result.side == "old" else result.new
    return f"the {result.side} version ({name}) has {count}; first: {result.first}"


# ---- text ------------------------------------------------------------------------------------

_MARK = {"added": "+", "removed": "-", "renamed": "~", "changed": "~"}
_EFFECT = {WEAKENED: "  [weakens]", STRENGTHENED: "  [strengthens]"}
_FMARK = {"new": "+", "resolved": "-", "risk": "~", "status": "~"}


def render_text(results: Sequence[Result], colour: bool = False, quiet: bool = False) -> str:
    """The text report; `quiet`: only the changes and the problems (no headlines, no summary line,
    nothing for pairs without changes)."""
    out: list[str] = []
    red, green, bold, reset = ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m") if colour else ("", "", "", "")
    diffs = _compared(results)
    for diff in results:
        if quiet and isinstance(diff, ModelDiff) and diff.empty:
            continue
        out.append(f"{bold}{pair_title(diff)}{reset}")
        if isinstance(diff, Uncompared):
            out.append(f"{red}  not compared: {uncompared_text(diff)}{reset}" if colour
                       else f"  not compared: {uncompared_text(diff)}")  # fmt: skip
            out.append("")
            continue
        if diff.empty:
            out.append("  no changes")
            out.append("")
            continue
        if not quiet:
            out.append("  " + headline(summary(diff)))
        category = None
        for change in ordered(diff.changes):
            if change.category != category:
                category = change.category
                out.append(f"  {CATEGORY_TITLES.get(category, category)}:")
            paint = red if change.effect == WEAKENED else green if change.effect == STRENGTHENED else ""
            line = f"    {_MARK[change.kind]} {describe(change)}{_EFFECT.get(change.effect, '')}"
            out.append(f"{paint}{line}{reset}" if paint else line)
        if diff.findings:
            out.append("  Findings:")
            for finding in diff.findings:
                worse = finding.adds_open_risk(RiskLevel.INFO) or (finding.kind == "risk" and _raised(finding))
                paint = red if worse else green if finding.kind == "resolved" else ""
                line = f"    {_FMARK[finding.kind]} {finding_text(finding)}"
                out.append(f"{paint}{line}{reset}" if paint else line)
        out.append("")
    if len(results) > 1 and not quiet:
        out.append(f"{len(results)} models: " + headline(_merge([summary(d) for d in diffs])))
        if len(diffs) < len(results):
            out.append(f"{len(results) - len(diffs)} not compared (a version has errors)")
    text = "\n".join(_printable(line) for line in out).rstrip("\n")
    return text + "\n" if text else ""


def _raised(finding: FindingChange) -> bool:
    return finding.old is not None and finding.new is not None and finding.new.risk > finding.old.risk


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() or c == "\x1b" else "\ufffd" for c in text)


# ---- JSON ------------------------------------------------------------------------------------


def render_json(results: Sequence[Result]) -> str:
    models: list[dict[str, Any]] = []
    for d in results:
        if isinstance(d, Uncompared):
            error = {"side": d.side, "errors": d.errors, "first": d.first}
            models.append({"old": d.old or None, "new": d.new or None, "summary": _merge([]), "changes": [],
                           "findings": [], "error": error})  # fmt: skip
            continue
        models.append({"old": d.old or None, "new": d.new or None, "summary": summary(d),
                       "changes": [{**c.to_dict(), "text": describe(c)} for c in ordered(d.changes)],
                       "findings": [f.to_dict() for f in d.findings], "error": None})  # fmt: skip
    document = {"format_version": FORMAT_VERSION, "summary": _merge([m["summary"] for m in models]), "models": models}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~@])")


def md(text: object) -> str:
    """Text from a model made inert in GitHub Markdown: HTML escaped, the punctuation that makes
    links, emphasis, code, table cells, mentions and autolinks backslashed, newlines folded."""
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))
    return escaped.replace("://", ":\\/\\/").replace("www.", "www\\.")  # no autolinks


_ICON = {"new": "🆕 new", "resolved": "✅ resolved", "risk": "↕️ risk", "status": "🔁 status"}


def render_markdown(results: Sequence[Result], fail_level: RiskLevel | None = None) -> str:
    diffs = _compared(results)
    broken = [r for r in results if isinstance(r, Uncompared)]
    total = _merge([summary(d) for d in diffs])
    out = ["### Threat model changes", ""]
    blocking = [f for d in diffs for f in d.findings if fail_level is not None and f.adds_open_risk(fail_level)]
    verdict = ""
    if fail_level is not None:
        verdict = (f"❌ {len(blocking)} new open risk{'s' if len(blocking) != 1 else ''} at or above {fail_level} · "
                   if blocking else f"✅ nothing new at or above {fail_level} · ")  # fmt: skip
        if broken and not blocking:
            verdict = "⚠️ not every version could be compared · "
    if all(d.empty for d in diffs) and not broken:
        out.append(f"{verdict}No security-relevant changes.")
        return "\n".join(out) + "\n"
    if any(not d.empty for d in diffs):
        out.append(f"{verdict}**{headline(total)}**")
    else:
        out.append(
            "⚠️ Not every version could be compared"
            + ("; no security-relevant changes in the others." if diffs else ".")
        )
    for diff in results:
        if isinstance(diff, Uncompared):
            out += ["", f"#### {md(pair_title(diff))}", "", _uncompared_md(diff)]
            continue
        if diff.empty:
            continue
        out += ["", f"#### {md(pair_title(diff))}", ""]
        out += _risk_table(diff.findings)
        out += _details(diff)
    return "\n".join(out) + "\n"


def _uncompared_md(result: Uncompared) -> str:
    count = f"{result.errors} error{'s' if result.errors != 1 else ''}"
    if result.side == "old":
        return (f"⚠️ **The old version (the base) has {count} and cannot be compared**, so nothing is gated "
                f"on it; first: {md(result.first)}. If this change fixes the model, the next comparison will show "
                "what changed; `tmdiag check` reports on this version.")  # fmt: skip
    return (
        f"❌ **This version has {count} and cannot be compared**; first: {md(result.first)}. "
        "Fix it (`tmdiag check` lists every error)."
    )


def _risk_table(findings: Sequence[FindingChange]) -> list[str]:
    if not findings:
        return ["No finding changed."]
    rows = ["| change | risk | threat | on | was | now |", "|---|---|---|---|---|---|"]
    for f in findings[:MAX_TABLE_ROWS]:
        state = f.state
        was = f"{f.old.risk}, {f.old.status}" if f.old else "—"
        now = f"{f.new.risk}, {f.new.status}" if f.new else "—"
        rows.append(f"| {_ICON[f.kind]} | {state.risk} | {md(f.threat_id)} {md(state.title)} | "
                    f"{md(state.target_kind)} {md(f.target)} | {md(was)} | {md(now)} |")  # fmt: skip
    if len(findings) > MAX_TABLE_ROWS:
        rows.append(f"\n…and {len(findings) - MAX_TABLE_ROWS} more finding changes (`tmdiag diff` lists them all).")
    return rows


def _details(diff: ModelDiff) -> list[str]:
    if not diff.changes:
        return []
    count = len(diff.changes)
    out = ["", f"<details><summary>{count} model change{'s' if count != 1 else ''}</summary>", ""]
    category = None
    for lines, change in enumerate(ordered(diff.changes)):
        if lines >= MAX_DETAIL_LINES:
            out.append(f"- …and {len(diff.changes) - lines} more")
            break
        if change.category != category:
            category = change.category
            out += ["", f"**{CATEGORY_TITLES.get(category, category)}**", ""]
        tag = {WEAKENED: " **(weakens)**", STRENGTHENED: " (strengthens)"}.get(change.effect, "")
        out.append(f"- {md(describe(change))}{tag}")
    out += ["", "</details>"]
    return out
