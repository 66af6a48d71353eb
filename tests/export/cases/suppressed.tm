# Inline suppressions in every place an OTM export carries them (and one it cannot: the team).
model "Suppressed" { owner: ann, scope: "Checkout", reviewed: 2026-11-01, review_every: 90d }

team {
  # tmdiag: ignore[TM102] reason: a one-person prototype
  ann "Ann" security_lead
}

data card "Card" { classification: secret }

boundary net "Internet" { trust: untrusted  actor user "User" }

boundary acct "Account" {
  trust: high
  kind: account
  mfa: required
  # tmdiag: ignore[TM403] reason: the organisation trail logs every account
  audit_log: false
  # tmdiag: ignore[TM401] reason: bastion, session-recorded
  process app "App" { public: true, ingress: ["0.0.0.0/0:22"] }
  # tmdiag: ignore[TM301] reason: tokenised before it is stored
  datastore db "DB" { stores: [card] }
}

# tmdiag: ignore[TM201, TM202, TM203] reason: lab traffic on a private link
user -> app "Order" {
  protocol: https
  data: [card]
  # tmdiag: ignore[TM202, TM203] reason: the reply rides the same private link
} reply "OK" { data: [card] }

# tmdiag: ignore[TM203] reason: same host, loopback socket
app -> db "Save" { protocol: postgres, data: [card] }
