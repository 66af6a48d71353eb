# TM501 stays quiet here
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web { status: open, severity: critical, owner: alice }
risk INP03 on web { status: open, severity: low }
