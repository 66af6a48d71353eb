team { alice "Alice" security_lead }
data card "Card" { classification: secret }
boundary prod "Prod" {
  process web "Web" { owner: card }
  datastore db "DB" { stores: [web] }
}
web -> db "Store" { data: [alice] }
threat_agent thief { enters: [web] }
