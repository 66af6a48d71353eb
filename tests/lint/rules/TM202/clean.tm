# TM202 stays quiet here
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
customer -> api "Order" { protocol: https, tls: 1.3, authenticated: true }
  reply "Receipt"
api -> worker "Job" { protocol: http }
