# TM202 fires on each line marked `expect`
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
customer -> api "Order" { protocol: http, authenticated: true }  # expect: TM202
  reply "Receipt"  # expect: TM202
