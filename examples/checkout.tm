# Checkout: threat model for the web shop's card checkout on AWS
import "std/aws.tm"

model "Checkout" {
  description: "Card checkout for the web shop"
  scope: "From the customer's browser to the orders database and the fraud scorer"
  version: "2.1"
  owner: alice
  reviewed: 2026-10-01
  review_every: 90d
  cloud: aws
}

team {
  alice "Alice Ng"   security_lead
  bob   "Bob Li"     developer
  carol "Carol Diaz" sre
  dan   "Dan Ross"   business_owner
}

data card    "Card number"   { classification: secret, pii: true, impact: critical }
data session "Session token" { classification: sensitive, credentials: true, lifetime: short }
data order   "Order"         { classification: restricted, pii: true }
data score   "Fraud score"   { classification: restricted }

threat_agent fraudster "Card fraudster" { skill: medium, motive: financial, enters: [internet] }

boundary internet "Internet" {
  trust: untrusted
  kind: internet
  actor customer "Customer"
}

boundary prod "AWS account prod" {
  trust: high
  kind: account
  cloud: aws
  audit_log: true  # control plane: logging on, MFA on
  mfa: required
  owner: carol

  boundary public "Public subnet" {
    trust: medium
    kind: subnet
    process web "Checkout web app" {
      icon: aws.ec2
      ingress: ["0.0.0.0/0:443"]
      public: true
      sanitizes_input: true
      validates_input: true
      implements_api: true
      owner: bob
    }
  }

  boundary private "Private subnet" {
    trust: high
    kind: subnet
    datastore db "Orders DB" {
      icon: aws.rds
      kind: sql
      encrypted_at_rest: true
      stores: [card, order]
      ingress: ["10.0.1.0/24:5432"]
      backup: true
    }
    lambda fraud "Fraud scorer" { icon: aws.lambda }
    llm assistant "Support assistant" {
      third_party: true
      untrusted_input: true
      content_filtering: true
    }
  }
}

submit: customer -> web "Submit checkout" {
  protocol: https, port: 443, tls: 1.3
  data: [card, session]
  authenticated: true, encrypted: true
} reply "Confirmation" { protocol: https, data: [order], encrypted: true }

store: web -> db "Store order" {
  protocol: postgres, port: 5432, tls: 1.2
  data: [order, card]
  encrypted: true, authenticated: true
}

web -> fraud "Score order" {
  protocol: https, data: [order], encrypted: true
  authenticated: true, authentication_scheme: "AWS SigV4 (web app IAM role)"
} reply "Score" { data: [score] }

# tmdiag: ignore[TM201] reason: the chat widget runs inside the signed-in checkout session
customer -> assistant "Ask about an order" { protocol: https, data: [order], encrypted: true }

control waf "AWS WAF" { kind: waf, on: [web], mitigates: [INP02], owner: carol, automated: true }
control sessions "Signed, expiring session cookies" {
  kind: session_management, on: [web], owner: bob
}

risk INP02 on web { status: mitigated, owner: bob, by: waf, ticket: "PAY-142" }
risk AC21 on web  { status: in_progress, owner: bob, due: 2027-01-15, ticket: "PAY-151" }
risk CR05 on private {
  status: accepted, owner: carol, until: 2027-06-30
  justification: "RDS and Lambda use AWS-managed AES-256 keys; the algorithm is not ours to set"
}
risk AC05 on store {
  status: accepted, owner: dan, until: 2027-03-01
  justification: "Read replicas are out of scope until Q2"
}

assume "The AWS control plane itself is not compromised"
assume "Card data is tokenised by the payment provider before storage" { on: [db] }

view payment_path "Card payment path" {
  description: "Where the card number travels, and what it is stored in"
  include: [web, db]
  depth: 1
  data: true
}
