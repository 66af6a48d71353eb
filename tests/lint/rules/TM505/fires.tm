# TM505 fires on each line marked `expect`
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
process api "API"
control waf "WAF" { on: [api] }
risk INP02 on web {
  status: mitigated, owner: alice
  by: waf  # expect: TM505
}
