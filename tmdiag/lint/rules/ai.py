"""TM6xx: LLMs and AI agents."""

from __future__ import annotations

from collections.abc import Iterator

from tmdiag.lint.facts import flag, index, trust_rank
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Element, Model

_UNTRUSTED = schema.TRUST_LEVELS.index("untrusted")


def takes_untrusted_input(model: Model, element: Element) -> bool:
    """Declared so (`untrusted_input`, on by default for LLMs) or fed by a flow from an untrusted zone."""
    if flag(element, "untrusted_input"):
        return True
    return any(trust_rank(model, f.source) == _UNTRUSTED for f in index(model).inbound.get(element.id, ()))


@rule(
    "TM601",
    "llm-unfiltered-untrusted-input",
    severity="error",
    risk=("high", "high"),
    summary="An LLM takes untrusted input without content filtering.",
    rationale="Prompt injection and jailbreaks arrive in untrusted input; without filtering of prompts and "
    "completions the model can be turned against its users and the systems it reaches (OWASP LLM01).",
    fix="Filter prompts and completions (a guardrail service, moderation API) and set "
    "`content_filtering: true`; or set `untrusted_input: false` if no untrusted text reaches it.",
    example='llm assistant "Support assistant" { third_party: true }',
)
def llm_unfiltered(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        filtered = model.flag(element, "content_filtering")
        if element.kind == "llm" and takes_untrusted_input(model, element) and not filtered:
            yield Hit(element.id_span, f"LLM `{element.id}` takes untrusted input without content filtering")


@rule(
    "TM602",
    "llm-acts-on-untrusted-input",
    severity="warning",
    risk=("high", "high"),
    summary="An LLM that executes code or acts through tools takes untrusted input.",
    rationale="Injected instructions in untrusted input become actions when the model can run code or "
    "call tools: excessive agency (OWASP LLM06).",
    fix="Sandbox code execution, allow-list tools, require human approval for consequential actions; "
    "then record the controls (`least_privilege: true`, `sanitizes_input: true`).",
    example='llm assistant "Support assistant" { content_filtering: true, executes_code: true }',
)
def llm_acts(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        if element.kind != "llm" or not takes_untrusted_input(model, element):
            continue
        powers = [key for key in ("executes_code", "agent_capabilities") if flag(element, key)]
        if powers and not (model.flag(element, "least_privilege") and model.flag(element, "sanitizes_input")):
            yield Hit(
                element.id_span,
                f"LLM `{element.id}` takes untrusted input and can act "
                f"({', '.join(powers)}) without least privilege and input sanitizing",
            )


@rule(
    "TM603",
    "agent-tools-unvalidated",
    severity="warning",
    risk=("medium", "high"),
    summary="An AI agent uses external tools or MCP servers without validating their configuration.",
    rationale="A tool server's launch configuration runs with the agent's rights; unvalidated it is a "
    "supply-chain and command-injection path.",
    fix="Pin and validate tool configurations (allow-list servers, verify signatures) and set "
    "`validates_tool_config: true`.",
    example='agent helper "Ops agent" { external_tools: true }',
)
def agent_tools_unvalidated(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        validated = model.flag(element, "validates_tool_config")
        if element.kind == "agent" and flag(element, "external_tools") and not validated:
            yield Hit(
                element.id_span, f"agent `{element.id}` uses external tools without validating their configuration"
            )
