# Risk decisions: every status, with what each status needs.
team {
  alice "Alice" security_lead
  bob   "Bob"   developer
  dan   "Dan"   business_owner
}

boundary internet "Internet" { trust: untrusted  actor customer }
boundary prod "Prod" {
  trust: high
  process web "Web"
  datastore db "DB" { kind: sql }
}

submit: customer -> web "Submit" { protocol: https, encrypted: true }

control waf "WAF" { on: [web], mitigates: [INP02] }

risk INP02 on web { status: mitigated, owner: bob, by: waf, ticket: "PAY-142" }
risk DS06 on db {
  status: accepted, owner: dan, until: 2027-03-01
  justification: "Read replicas are out of scope until Q2"
}
risk AC01 on web { status: transferred, owner: dan, justification: "The payment provider carries this risk" }
risk INP03 on web { status: avoided, owner: alice, justification: "The search feature was removed" }
risk CR06 on submit { status: false_positive, owner: alice, justification: "TLS is terminated by the load balancer" }
risk DE01 on submit { status: open, due: 2027-01-15, severity: high }
risk INP01 on db
