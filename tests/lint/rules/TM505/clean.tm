# TM505 stays quiet here
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
process api "API"
control waf "WAF" { on: [api, web] }
risk INP02 on web { status: mitigated, owner: alice, by: waf }
