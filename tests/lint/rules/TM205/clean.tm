# TM205 stays quiet here
boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
}
boundary prod "Production" {
  trust: high
  process api "API"
  process worker "Worker"
  datastore db "Orders DB" { encrypted_at_rest: true }
}
customer -> api "Order" { encrypted: true, authenticated: true }
api -> db "Save" { encrypted: true }
  reply "Saved"
