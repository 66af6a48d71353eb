# TM504 fires on each line marked `expect`
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web {
  status: open, owner: alice
  due: 2026-11-01  # expect: TM504
}
