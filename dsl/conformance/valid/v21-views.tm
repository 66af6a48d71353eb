# Views: named pictures of part of the model (Structurizr-style).
boundary pay "Payments" { trust: high  process acct "Accounts"  datastore ledger "Ledger" }
boundary ext "Partners" { trust: low  external psp "PSP" }
data card "Card" { classification: secret }
acct -> ledger "Book" { protocol: postgres }
acct -> psp "Charge" { protocol: https, data: [card] }

view payments "Payments context" {
  description: "Where card payments go"
  include: [pay, psp]
  exclude: [ledger]
  depth: 1
  direction: right
  data: true
  risk: false
}
view ledger_only { include: ledger, depth: 0, direction: down }
