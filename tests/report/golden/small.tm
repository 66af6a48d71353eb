# A small purpose-built model for the report's golden files (report.md, threats.json).
# `rules: replace`: only the rules below, so the files stay short and do not move with pytm.
model "Small | *shop*" {
  description: "A shop with one app and one database"
  scope: "Browser to database"
  version: "1.0"
  owner: ann
  reviewed: 2026-09-01
  review_every: 30d
  rules: replace
}

team {
  ann "Ann Lee" security_lead
  ben "Ben <Ops>" sre
}

data card "Card [number]" { classification: secret, pii: true }
data note "Note" { classification: public }

threat_agent crook "Crook" { skill: low, motive: financial, enters: [net] }

boundary net "Internet" {
  trust: untrusted
  actor user "User"
}

boundary dc "Data centre" {
  trust: high
  owner: ben
  process app "App" { description: "Takes orders", owner: ann }
  datastore db "DB" { stores: [card] }
}

order: user -> app "Order" { protocol: https, data: [card, note] } reply "Receipt" { data: [note] }
save: app -> db "Save" { data: [card] }

rule SM001 "Unencrypted flow carries secrets" {
  description: "A flow carries secret data in clear text."
  severity: high
  likelihood: high
  targets: [flow]
  when: not encrypted and data.classification >= secret
  mitigations: "Encrypt the flow (TLS 1.2 or later)."
  references: "https://example.org/tls"
}

rule SM002 "Datastore holds card data" {
  description: "A datastore keeps card data."
  severity: very_high
  likelihood: low
  targets: [datastore]
  when: data.pii
  mitigations: "Tokenise card numbers."
}

rule SM003 "Process without input validation" {
  description: "A process does not validate its input."
  severity: medium
  likelihood: medium
  targets: [process]
  when: not validates_input
}

control tls "TLS everywhere" { on: [save], mitigates: [SM001], owner: ben }

risk SM002 on db {
  status: accepted, owner: ben, until: 2026-10-01
  justification: "Tokenisation ships next quarter"
}
risk SM001 on order { status: transferred, owner: ann, ticket: "SHOP-7", justification: "The payment provider encrypts it" }

assume "The browser is not compromised" { on: [app], excludes: [SM003] }
