# TM503 fires on each line marked `expect`
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web {
  status: accepted, owner: alice
  until: 2026-01-01  # expect: TM503
  justification: "Only staff reach the form, behind the VPN"
}
