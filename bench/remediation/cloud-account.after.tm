# The same account after its remediation plan ran: SSH behind SSM, CloudTrail on, MFA required,
# encryption in transit and at rest, the bucket private, credentials from a secrets manager.
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
data creds "DB credentials" { credentials: true, lifetime: short, classification: secret }

threat_agent crook "Card thief" { skill: medium, motive: financial, enters: [internet] }

boundary internet "Internet" {
  trust: untrusted, kind: internet
  actor customer "Customer"
  actor admin    "Operator laptop" { admin: true }
}

boundary prod "AWS account prod" {
  trust: high, kind: account, cloud: aws, owner: cy, audit_log: true, mfa: required
  boundary dmz "Public subnet" {
    trust: medium, kind: subnet
    server web     "Web tier"           { ingress: ["0.0.0.0/0:443"], public: true, session_tokens: true, encrypted: true, owner: ben }
    server bastion "Bastion (SSM only)" { ingress: ["10.0.0.0/16:22"], admin: true, uses_mfa: true, hardened: true }
  }
  boundary private "Private subnet" {
    trust: high, kind: subnet
    datastore db      "Orders DB"      { kind: sql, stores: [card, order], encrypted_at_rest: true, encrypted: true }
    datastore exports "Exports bucket" { kind: s3, stores: [order], encrypted_at_rest: true }
  }
}

checkout: customer -> web "Checkout" {
  protocol: https, port: 443, tls: 1.2, encrypted: true, authenticated: true, data: [card]
}
store: web -> db "Store order" {
  protocol: postgres, port: 5432, tls: 1.2, encrypted: true, authenticated: true, data: [order, card, creds]
}
ssm: admin -> bastion "SSM session" { protocol: https, port: 443, admin: true, encrypted: true, authenticated: true }
admin_db: bastion -> db "Admin session" {
  protocol: postgres, admin: true, encrypted: true, authenticated: true, tls: 1.2, data: [creds]
}
export: web -> exports "Nightly export" { protocol: https, encrypted: true, authenticated: true, data: [order] }

control secrets "Secrets Manager with rotation" { kind: secrets_management, on: [web, bastion], owner: cy }
control kms     "KMS keys per service"          { kind: encryption_at_rest, on: [private], owner: cy }

# Application controls the security review asked for, on the web tier and the bastion
control appsec "Framework input validation and output encoding" {
  kind: input_validation, on: [web, bastion], owner: ben
}
control encoding "Context-aware output encoding, strict HTTP parsing at the ALB" {
  kind: output_encoding, on: [web, bastion], owner: ben
}
control sessions "Signed, expiring, encrypted sessions with nonces" {
  kind: session_management, on: [web, bastion], owner: ben
}
control authz  "Per-route authorization (OPA)"    { kind: access_control, on: [web, bastion], owner: ben }
control cis    "CIS-hardened AMIs"                { kind: hardening, on: [web, bastion], owner: cy }
control shield "AWS Shield Advanced, rate limits" { kind: ddos_protection, on: [web, bastion], owner: cy }
control tls "TLS 1.2+ everywhere, certificates verified (ACM, RDS CA)" {
  kind: encryption_in_transit, on: [checkout, store, ssm, admin_db, export], owner: cy
}
control waf "AWS WAF managed rules" { kind: waf, on: [web], owner: cy }
