# TM210 stays quiet here: every outermost boundary states its trust; nested ones inherit it
boundary prod "Production" {
  trust: high
  process api "API"
  boundary private "Private subnet" {
    datastore db "DB"
  }
}
boundary internet "Internet" { trust: untrusted  actor user "User" }
user -> api "Order" { encrypted: true, authenticated: true }
api -> db "Query" { encrypted: true, authenticated: true }
