# header comment
import "std/aws.tm"

model "Messy" {
  description: "spacing everywhere", reviewed: 2026-10-01
  review_every: 90d
}

team {
  alice "Alice Ng" security_lead
  bob   "Bob"      [developer, sre]
}

data card    "Card number" { classification: secret, pii: true }
data session "Session"
data order                 { classification: restricted }

threat_agent fraudster "Card fraudster" {
  skill: medium, motive: financial, enters: [internet]
  description: "Someone who buys stolen card numbers and tries them on small shops late at night"
}

boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
}
boundary prod "Prod" {
  trust: high
  mfa: required, audit_log: true

  boundary private "Private" {
    datastore db "DB" {}
    process web "Web" {
      ingress: [
        "0.0.0.0/0:443", "10.0.0.0/8:80",
        "10.1.0.0/16:22",
      ]
    }
  }
}

customer -> web "Submit" { protocol: https, port: 443 } reply "OK"
web -> db
pay: web -> db  "Pay"    reply { data: [card] } reply "Again"

control waf "WAF" { on: [web] }

risk INP02 on web { status: mitigated }
risk DS06 on db {
  status: accepted, owner: alice, until: 2027-03-01
  justification: "later"
}

assume "Nothing bad"
assume "Nothing worse" { on: [db] }

rule R1 "Mixed logic" {
  severity: high
  when: (a and b) or (not (c or d) and x.y in [p, "q", 3])
}
rule R2 {
  when: a or b or (c and (d and e)) or (crosses boundary and not enters prod)
}
