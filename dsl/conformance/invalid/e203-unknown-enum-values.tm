data card "Card" { classification: secrt, lifetime: forever }
team { alice "Alice" securty_lead }
boundary prod "Prod" {
  trust: hihg
  mfa: yes
  datastore db "DB" { kind: postgres }
  process web "Web" { min_tls: 1.4, code_type: rust }
}
threat_agent thief { skill: godlike, motive: fun }
risk INP02 on web { status: acepted }
