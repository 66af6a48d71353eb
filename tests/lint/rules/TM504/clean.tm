# TM504 stays quiet here
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web { status: open, owner: alice, due: 2026-12-01 }
