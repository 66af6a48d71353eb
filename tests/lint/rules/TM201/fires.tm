# TM201 fires on each line marked `expect`
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
customer -> api "Order" { protocol: https, encrypted: true }  # expect: TM201
  reply "Receipt" { encrypted: true }
api -> customer "Push" { encrypted: true }
