# TM503 stays quiet here
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web {
  status: accepted, owner: alice
  until: 2027-01-01
  justification: "Only staff reach the form, behind the VPN"
}
