# A typical AWS account before its remediation plan: the control-plane mistakes most accounts have.
model "Orders platform" {
  scope: "AWS account prod: web tier, admin path, orders database, exports bucket", owner: ana, reviewed: 2026-11-01
  review_every: 90d
}

team {
  ana "Ana" security_lead
  ben "Ben" developer
  cy  "Cy"  sre
  dot "Dot" business_owner
}

data card  "Card data"      { classification: secret, pii: true }
data order "Order"          { classification: restricted, pii: true }
data creds "DB credentials" { credentials: true, lifetime: long, classification: secret }

threat_agent crook "Card thief" { skill: medium, motive: financial, enters: [internet] }

boundary internet "Internet" {
  trust: untrusted, kind: internet
  actor customer "Customer"
  actor admin    "Operator laptop" { admin: true }
}

boundary prod "AWS account prod" {
  trust: high, kind: account, cloud: aws, owner: cy
  boundary dmz "Public subnet" {
    trust: medium, kind: subnet
    server web     "Web tier" { ingress: ["0.0.0.0/0:443"], public: true, session_tokens: true, owner: ben }
    server bastion "Bastion"  { ingress: ["0.0.0.0/0:22"], admin: true }
  }
  boundary private "Private subnet" {
    trust: high, kind: subnet
    datastore db      "Orders DB"      { kind: sql, stores: [card, order] }
    datastore exports "Exports bucket" { kind: s3, public: true, stores: [order] }
  }
}

customer -> web  "Checkout"       { protocol: https, port: 443, tls: 1.2, encrypted: true, authenticated: true, data: [card] }
web -> db        "Store order"    { protocol: postgres, port: 5432, data: [order, card, creds] }
admin -> bastion "SSH"            { protocol: ssh, port: 22, admin: true, encrypted: true }
bastion -> db    "Admin session"  { protocol: postgres, admin: true, data: [creds] }
web -> exports   "Nightly export" { protocol: https, encrypted: true, data: [order] }
