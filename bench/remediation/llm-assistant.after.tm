# The same assistant after its remediation: guardrails, a sandbox for code, least privilege for
# tools, validated tool launch configuration, the API key from a secrets manager.
model "Support assistant" {
  scope: "Chat widget, agent, LLM API, order tools", owner: ana, reviewed: 2026-11-01, review_every: 90d
}

team {
  ana "Ana" security_lead
  ben "Ben" developer
  cy  "Cy"  sre
  dot "Dot" product_owner
}

data chat  "Chat message"  { classification: restricted, pii: true }
data order "Order details" { classification: restricted, pii: true }
data key   "LLM API key"   { credentials: true, lifetime: short, classification: secret }

boundary internet "Internet" {
  trust: untrusted, kind: internet
  actor customer "Customer"
}
boundary aws "AWS account" {
  trust: high, kind: account, cloud: aws, owner: cy, audit_log: true, mfa: required
  lambda agent_fn "Agent function" { owner: ben }
  llm assistant "Hosted LLM" {
    third_party: true, untrusted_input: true, processes_personal_data: true
    agent_capabilities: true, sensitive_access: true, executes_code: true
  }
  agent tools "Order tools" { external_tools: true, validates_tool_config: true }
  datastore orders "Orders DB" { kind: sql, stores: [order], encrypted_at_rest: true }
}

ask: customer -> agent_fn     "Ask"           { protocol: https, encrypted: true, authenticated: true, data: [chat] }
prompt: agent_fn -> assistant "Prompt"        { protocol: https, encrypted: true, authenticated: true, data: [chat, key] }
call: assistant -> tools      "Tool call"     { protocol: https, encrypted: true, authenticated: true, data: [order] }
lookup: tools -> orders       "Look up order" { protocol: postgres, encrypted: true, authenticated: true, data: [order] }

control guardrails "Prompt-injection filter and output PII redaction" {
  kind: content_filtering, on: [assistant], owner: ben
}
control redaction "PII redaction before the provider"             { kind: dlp, on: [assistant, prompt], owner: ben }
control sandbox   "Code runs in a gVisor sandbox without network" { kind: hardening, on: [assistant], owner: cy }
control scopes "Tools scoped to the caller's own orders" {
  kind: least_privilege, on: [assistant, tools, agent_fn], owner: ben
}
control validation "Schema-checked prompts and tool arguments" {
  kind: input_validation, on: [agent_fn, assistant, tools], owner: ben
}
control rendering "Completions rendered as text, never HTML" { kind: output_encoding, on: [assistant], owner: ben }

risk LLM03 on assistant {
  status: transferred, owner: dot
  justification: "The provider's zero-retention DPA covers personal data in prompts (signed 2026-10)"
}

control secrets "Key from Secrets Manager, rotated" { kind: secrets_management, on: [agent_fn], owner: cy }
control tls     "TLS with verified certificates"    { kind: encryption_in_transit, on: [ask, prompt, call, lookup], owner: cy }
control authz   "Per-customer authorization"        { kind: access_control, on: [agent_fn, tools], owner: ben }
