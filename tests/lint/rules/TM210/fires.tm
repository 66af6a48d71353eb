# TM210 fires on each line marked `expect`
boundary prod "Production" {  # expect: TM210
  process api "API"
  boundary private "Private subnet" {
    datastore db "DB"
  }
}
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary partner "Partner" { kind: partner }  # expect: TM210
user -> api "Order" { encrypted: true, authenticated: true }
api -> db "Query" { encrypted: true, authenticated: true }
