# Every broken statement (or broken item of a block) is reported once; the good ones between them
# still load, and so does a statement whose block only has a broken attribute.
data card "Card" { classification: secret }
data order "Order" { classification restricted }
actor customer "Customer"
process web "Web" { port: 443 443 }
datastore db "DB"
customer -> web "Checkout" { data: [card }
web -> db "Store"
team { alice "Alice" }
