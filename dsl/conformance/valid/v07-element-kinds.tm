# All eight element kinds, each with attributes of its own kind.
boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer" { human: true, port: 443, protocol: https }
  actor admin_user "Administrator" { admin: true, uses_mfa: true }
  external bank "Acquiring bank" { physical_access: false, on_aws: false, protocol: iso8583 }
  llm gpt "Hosted LLM" {
    third_party: true
    processes_personal_data: true
    retains_user_data: false
    content_filtering: true
    system_prompt: true
    untrusted_input: true
    rag: false
    fine_tuned: false
    self_hosted: false
  }
}

boundary cloud "Cloud" {
  trust: high
  process web "Web app" {
    code_type: managed
    implements_api: true
    environment: "node 20"
    client_side_scripting: true
    multiple: true
    sanitizes_input: true
    csrf_token: true
    source_files: ["src/web/"]
    tags: [frontend, pci]
    min_tls: 1.2
    max_classification: secret
    in_scope: true
    impact: high
  }
  server api "API server" { session_tokens: true, cache: true, uses_vpn: false, xml_parser: false, os: "Debian 12", hardened: true }
  lambda scorer "Fraud scorer" { environment: "python3.12", implements_api: false, least_privilege: true }
  datastore db "Orders DB" {
    kind: sql
    on_rds: true
    encrypted_at_rest: true
    backup: true
    versioning: true
    shared: false
    write_access: true
    stores_log_data: false
    stores_pii: true
    stores_sensitive_data: true
  }
  agent helper "Support agent" {
    external_tools: true
    validates_tool_config: true
    least_privilege: true
    description: "Answers order questions with tools"
  }
  llm local_model "Self-hosted model" { third_party: false, self_hosted: true, agent_capabilities: true, executes_code: false, sensitive_access: false }
}

process outside "A process outside every boundary"
# An icon is `provider.name` or `provider.module.name` (docs/diagrams.md).
server vm "GCE VM" { icon: gcp.compute.gce }
