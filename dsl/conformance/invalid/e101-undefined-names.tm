data card "Card" { classification: secret }
boundary prod "Prod" {
  process web "Web"
  datastore db "DB" { stores: [card, cart] }
}
web -> dbb "Store" { data: [card] }
wbe -> db "Read"
threat_agent thief { enters: [internet] }
