# TM502 fires on each line marked `expect`
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web {
  status: accepted, owner: alice, until: 2027-06-01
  justification: "TODO"  # expect: TM502
}
risk INP03 on web { status: false_positive, owner: alice, justification: "n/a" }  # expect: TM502
