# std/llm.tm: custom threat rules for LLM and agent systems, beyond pytm's LLM01-LLM09.
# Import with `import "std/llm.tm"`. Declares rules only.

rule AI001 "Prompt injection can reach tools" {
  description: "An LLM that reads untrusted input without content filtering can act through tools or function calls: injected instructions become actions."
  severity: very_high
  likelihood: high
  targets: [llm]
  when: untrusted_input and agent_capabilities and not content_filtering
  mitigations: "Filter prompts and completions; require confirmation for consequential tool calls; give tools least privilege."
  references: "https://genai.owasp.org/llmrisk/llm01-prompt-injection/"
}

rule AI002 "Personal data sent to a third-party model" {
  description: "A flow sends personal data to an LLM run by a third party."
  severity: high
  likelihood: high
  targets: [flow]
  when: data.pii and sink.third_party
  mitigations: "Redact or pseudonymise personal data before the call; check the provider's retention and training terms."
  references: "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/"
}

rule AI003 "Model output drives an agent without validation" {
  description: "An agent uses external tools and receives LLM output without validating tool launch configuration."
  severity: high
  likelihood: medium
  targets: [agent]
  when: external_tools and not validates_tool_config and not validates_input
  mitigations: "Validate tool names and arguments against an allow-list before execution."
  references: "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/"
}

rule AI004 "Model provider keeps personal data" {
  description: "An LLM that retains user data receives personal data: prompts and completions outlive the conversation, in someone else's logs or training set."
  severity: high
  likelihood: medium
  targets: [llm]
  when: retains_user_data and (processes_personal_data or data.pii)
  mitigations: "Use a zero-retention agreement or a self-hosted model; redact personal data before the call; document the retention period."
  references: "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/"
}
