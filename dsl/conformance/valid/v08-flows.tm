# Flows: plain, named (`name: a -> b`), with replies, with attributes; hyphenated ids.
data order "Order" { classification: restricted }
data receipt "Receipt" { classification: restricted }

boundary internet "Internet" { trust: untrusted  actor web-user "Shopper" }
boundary dc "Data centre" {
  trust: high
  process shop-front "Shop front"
  datastore order-db "Orders" { kind: sql }
}

web-user -> shop-front
web-user -> shop-front "Browse"
checkout: web-user -> shop-front "Checkout" {
  protocol: https, port: 443, src_port: 50000, tls: 1.3
  data: [order]
  encrypted: true, authenticated: true, session_tokens: true
  note: "Card data is tokenised in the browser"
} reply "Receipt" { data: [receipt], encrypted: true }

shop-front -> order-db "Store order" { protocol: postgres, port: 5432, data: order, encrypted: true, tls: 1.2 }
  reply "Row id"
  reply "Replication ack" { merge_reply: false }

save: shop-front -> order-db { uses_vpn: true, implements_communication_protocol: false, admin: false }
# `authenticated` (above) is another name for `authenticates_source`: one attribute
shop-front -> order-db "Audit" { authenticates_source: true }
shop-front -> web-user "Push notification" { protocol: wss, tls: none }
