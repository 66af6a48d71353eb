# TM209 fires on each line marked `expect`
actor customer "Customer"  # expect: TM209
boundary prod "Production" {
  trust: high
  process api "API"
}
customer -> api "Order" { encrypted: true, authenticated: true }
