# A support assistant with LLMs, an agent and many pytm attributes set, for the fidelity test.
# tests/threats/pytm_models/assistant.py builds the same system with pytm objects.
model "Support assistant" { description: "Customers chat with an assistant backed by two LLMs." }

data prompt "Customer prompt" { classification: restricted, pii: true, format: "JSON" }
data api_key "Provider API key" { classification: secret, credentials: true, lifetime: long }
data build_token "Build token" { credentials: true, lifetime: hardcoded }
data ticket "Ticket" { classification: sensitive, format: "XML" }
data session "Session" { credentials: true }

boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
  external partner "Partner CRM" { physical_access: true }
}

boundary cloud "Cloud" {
  trust: high
  process gateway "API gateway" {
    implements_api: true, validates_input: true, uses_environment_variables: true
    environment: "Production", client_side_scripting: true
  }
  process workers "Workers" { multiple: true, code_type: managed, least_privilege: true }
  server app "App server" { session_tokens: true, xml_parser: true, protocol: "SOAP", cache: true, min_tls: 1.2 }
  lambda summarizer "Summarizer" { implements_api: true, environment: "Production" }
  datastore kb "Knowledge base" { shared: true, kind: s3, stores: [ticket] }
  datastore logs "Logs" { stores_log_data: true, encrypted_at_rest: true, max_classification: sensitive }
  llm model_a "Hosted model" {
    rag: true, processes_personal_data: true, agent_capabilities: true, sensitive_access: true
    executes_code: true, fine_tuned: true
  }
  llm model_b "Filtered model" {
    third_party: false, self_hosted: true, content_filtering: true, untrusted_input: false, system_prompt: false
  }
  agent helper "Helper agent" { external_tools: true }
  process legacy "Legacy feed" { in_scope: false }
}

chat: customer -> gateway "Chat" {
  protocol: HTTPS, port: 443, tls: 1.3, data: [prompt, session], encrypted: true, authenticated: true
}
forward: gateway -> app "Forward" { protocol: HTTP, data: [prompt, ticket], session_tokens: true }
  reply "Answer" { data: [ticket] }
complete: app -> model_a "Complete" { data: [prompt, api_key], encrypted: true, tls: 1.1 }
lookup: app -> kb "Lookup" { data: [ticket] }
summarise: summarizer -> model_b "Summarise" { data: [build_token] }
sync: helper -> partner "Sync" { data: [ticket], uses_vpn: true }
log: workers -> logs "Write logs" { data: [prompt] }
old: legacy -> app "Old feed" { data: [ticket] }
