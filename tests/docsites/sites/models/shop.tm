# A small shop, drawn into the test sites.
model "Shop" { scope: "docs-site tests" }

boundary internet "Internet" { trust: untrusted  actor customer "Customer" }
boundary prod "Production" {
  trust: high
  process web "Web shop"
  boundary tier "Data tier" {
    trust: high
    datastore db "Orders DB"
  }
}

customer -> web "Order" { protocol: https, port: 443 } reply "Receipt"
web -> db "Store order" { protocol: postgres, port: 5432 }

view orders "Order path" { include: [web, db], depth: 0 }
