import "std/aws.tm"
import "std/k8s.tm"
import "std/llm.tm"
model "S" { description: "x" }
team { ann "Ann" security_lead }
data card "Card" { classification: secret, pii: true }
boundary net "Internet" { trust: untrusted  actor user "User" }
boundary acct "Account" { trust: high
  process admin_ui "Admin" { admin: true, public: true, ingress: ["0.0.0.0/0:22"] }
  datastore bucket "Bucket" { public: true, stores: [card] }
  llm bot "Bot" { agent_capabilities: true, retains_user_data: true }
  agent helper "Helper" { external_tools: true }
}
user -> admin_ui "Use" { data: [card] }
admin_ui -> bot "Ask" { data: [card, aws_access_key] }
admin_ui -> bucket "Put" { data: [card, k8s_sa_token] }
