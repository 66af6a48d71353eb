# A support assistant before its review: an LLM on untrusted input with tools and no guardrails.
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
data key   "LLM API key"   { credentials: true, lifetime: hardcoded, classification: secret }

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
  agent tools "Order tools" { external_tools: true }
  datastore orders "Orders DB" { kind: sql, stores: [order], encrypted_at_rest: true }
}

ask: customer -> agent_fn     "Ask"           { protocol: https, encrypted: true, data: [chat] }
prompt: agent_fn -> assistant "Prompt"        { protocol: https, encrypted: true, data: [chat, key] }
call: assistant -> tools      "Tool call"     { protocol: https, encrypted: true, data: [order] }
lookup: tools -> orders       "Look up order" { protocol: postgres, encrypted: true, data: [order] }
