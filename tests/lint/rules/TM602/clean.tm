# TM602 stays quiet here
llm assistant "Support assistant" {
  content_filtering: true, executes_code: true, least_privilege: true, sanitizes_input: true
}
llm coder "Code helper" { content_filtering: true, agent_capabilities: true, untrusted_input: false }
