# Serverless assistant: a support chat on AWS Lambda that answers with a third-party LLM and an
# AI agent that may look up orders and open refunds through tools.
import "std/aws.tm"
import "std/llm.tm"

model "Serverless support assistant" {
  description: "Customers chat with an assistant; an agent plans tool calls (order lookup, refund request) and a hosted LLM writes the answers"
  scope: "From the chat widget to DynamoDB, S3 and the LLM provider; the order system behind the tools API is modelled as an external entity"
  version: "0.9"
  owner: sam
  reviewed: 2026-11-10
  review_every: 60d
  cloud: aws
}

team {
  sam    "Sam Okafor"  security_lead
  ines   "Inês Duarte" [developer, architect]
  viktor "Viktor Lind" devops
  hana   "Hana Sato"   product_owner
  ruth   "Ruth Adler"  [privacy, data_owner]
}

# ---- data -------------------------------------------------------------------------------
data message "Chat message" {
  classification: sensitive, pii: true
  description: "Free text: customers paste order numbers, addresses, sometimes card digits"
}
data transcript "Chat transcript" { classification: sensitive, pii: true, impact: high }
data prompt "Prompt with context" {
  classification: sensitive, pii: true, description: "System prompt, retrieved help articles and the conversation"
}
data completion "Model completion"     { classification: restricted }
data tool_call  "Tool call"            { classification: restricted, format: "JSON (function calling)" }
data order_info "Order details"        { classification: restricted, pii: true }
data refund     "Refund request"       { classification: restricted, impact: high }
data kb_article "Help-centre article"  { classification: public }
data id_token   "Cognito ID token"     { classification: sensitive, credentials: true, lifetime: short }
data llm_key    "LLM provider API key" { classification: secret, credentials: true, lifetime: manual }

# ---- who attacks ------------------------------------------------------------------------
threat_agent prompt_injector "Prompt injector" {
  description: "Crafts messages (or poisons help articles) to make the agent call tools it should not"
  skill: medium
  motive: fraud
  enters: [internet]
  targets: [agent_fn, llm_api]
}
threat_agent refund_fraudster "Refund fraudster" {
  skill: low, motive: financial, enters: [internet], targets: [tools_api]
}

# ---- where things run -------------------------------------------------------------------
boundary internet "Internet" {
  trust: untrusted
  kind: internet
  actor customer "Customer" { human: true }
}

boundary llm_vendor "LLM provider" {
  trust: low
  kind: partner
  description: "Hosted model API under a zero-retention agreement"
  llm llm_api "Hosted LLM (chat completions)" {
    third_party: true
    processes_personal_data: true
    retains_user_data: false
    content_filtering: true
    system_prompt: true
    untrusted_input: true
    rag: true
    agent_capabilities: true  # proposes tool calls; the agent executes them
    least_privilege: true  # tools are allow-listed and bound to the caller
    sanitizes_input: true  # prompt-injection filter before the model
    executes_code: false
    ingress: ["0.0.0.0/0:443"]
    public: true
  }
}

boundary partner_orders "Order system (internal partner team)" {
  trust: medium
  kind: partner
  external tools_api "Orders tools API" {
    protocol: https, port: 443, authenticates_source: true, authorizes_source: true
  }
}

boundary aws "AWS account assistant-prod" {
  trust: high
  kind: account
  cloud: aws
  audit_log: true
  mfa: required
  owner: viktor

  boundary edge "Edge (API Gateway + Cognito)" {
    kind: zone
    trust: medium
    process api_gw "API Gateway (HTTP API)" {
      icon: aws.api_gateway
      public: true
      ingress: ["0.0.0.0/0:443"]
      min_tls: 1.2
      authenticates_source: true
      handles_resource_consumption: true
      validates_content_type: true
      owner: viktor
    }
  }

  boundary functions "Lambda functions" {
    kind: zone
    trust: high
    lambda chat_fn "Chat handler" {
      icon: aws.lambda
      environment: "python3.12"
      implements_api: true
      validates_input: true
      least_privilege: true
      sanitizes_input: true
      owner: ines
    }
    agent agent_fn "Support agent (tool planner)" {
      icon: aws.lambda
      description: "Runs the agent loop: asks the LLM for a plan, validates each tool call against an allow-list, executes it"
      external_tools: true
      validates_tool_config: true
      least_privilege: true
      validates_input: true
      owner: ines
    }
  }

  boundary storage "Data stores" {
    kind: zone
    trust: high
    datastore sessions "Conversations (DynamoDB)" {
      icon: aws.dynamodb
      kind: nosql
      stores: [transcript]
      encrypted_at_rest: true
      versioning: true
      backup: true
      owner: viktor
    }
    datastore kb "Help-centre articles (S3)" {
      icon: aws.s3
      kind: s3
      stores: [kb_article]
      public: false
      encrypted_at_rest: true
      versioning: true
      write_access: false
    }
    datastore secrets "Secrets Manager" {
      icon: aws.secrets_manager
      kind: secrets
      stores: [llm_key]
      encrypted_at_rest: true
      access_control: true
    }
  }
}

# ---- flows ------------------------------------------------------------------------------
chat: customer -> api_gw "Send chat message" {
  protocol: https, port: 443, tls: 1.3
  data: [message, id_token]
  encrypted: true, authenticated: true
} reply "Assistant answer" { protocol: https, data: [completion, order_info], encrypted: true }

invoke: api_gw -> chat_fn "Invoke chat handler" {
  protocol: aws_lambda_invoke, data: [message], encrypted: true, authenticated: true
}
  reply "Answer" { data: [completion], encrypted: true }

chat_fn -> sessions "Append to transcript" { protocol: https, data: [transcript], encrypted: true, authenticated: true }
chat_fn -> agent_fn "Hand over the turn" {
  protocol: aws_lambda_invoke, data: [message, transcript], encrypted: true, authenticated: true
}
  reply "Answer and tool results" { data: [completion, order_info], encrypted: true }

agent_fn -> kb      "Retrieve help articles" { protocol: https, data: [kb_article], encrypted: true, authenticated: true }
agent_fn -> secrets "Read LLM API key"       { protocol: https, data: [llm_key], encrypted: true, authenticated: true }

plan: agent_fn -> llm_api "Plan and write the answer" {
  protocol: https, port: 443, tls: 1.3
  data: [prompt, llm_key]
  encrypted: true, authenticated: true
} reply "Completion with tool calls" { protocol: https, data: [completion, tool_call], encrypted: true }

tools: agent_fn -> tools_api "Call a tool (lookup_order, request_refund)" {
  protocol: https, port: 443, tls: 1.2
  data: [tool_call, refund]
  encrypted: true, authenticated: true
  note: "Scoped to the customer's own orders by the ID token's subject"
} reply "Tool result" { protocol: https, data: [order_info], encrypted: true }

# ---- controls, decisions, assumptions ---------------------------------------------------
control tool_allowlist "Tool allow-list and argument schema" {
  description: "The agent executes only lookup_order and request_refund, with JSON-schema-checked arguments bound to the caller's customer id"
  on: [agent_fn, tools, llm_api]
  owner: ines
  automated: true
}
control refund_cap "Refunds above 50 EUR need a human" { on: [tools_api], owner: hana }
control guardrails "Prompt-injection filter and output PII redaction" {
  on: [plan, llm_api], mitigates: [LLM08], owner: ines
}
control zero_retention "Vendor zero-retention agreement" { on: [llm_api], mitigates: [LLM03], owner: ruth }

risk LLM08 on llm_api { status: mitigated, owner: ines, by: guardrails, ticket: "AST-77" }
risk LLM03 on llm_api {
  status: accepted, owner: ruth, until: 2027-05-01
  justification: "Messages may contain PII; the provider's zero-retention DPA covers it until the self-hosted model is evaluated"
}
risk AI002 on plan {
  status: accepted, owner: ruth, until: 2027-05-01
  justification: "Order details go to the provider under the zero-retention DPA; PII is redacted first"
}
risk DE01 on tools { status: in_progress, owner: sam, due: 2026-12-15, ticket: "AST-81" }

assume "AWS IAM, Lambda isolation and the API Gateway service itself are not compromised"
assume "Help-centre articles are written by staff only; the CMS is out of scope" { on: [kb] }
assume "The tools API enforces its own authorisation on every call" { on: [tools_api] }
