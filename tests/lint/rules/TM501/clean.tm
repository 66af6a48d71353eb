# TM501 stays quiet here
team {
  alice "Alice Ng" security_lead
}
process web "Web app"
risk INP02 on web { status: open, severity: critical, owner: alice }
risk INP03 on web { status: open, severity: low }
risk HA03 on web { status: open }
rule CUST1 "Custom" { severity: medium, targets: [process], when: true }
risk CUST1 on web { status: open }
process api "API" { owner: alice }
risk INP02 on api { status: open, severity: high }
boundary dc "DC" {
  owner: alice
  process worker "Worker"
}
risk INP02 on worker { status: open, severity: high }
