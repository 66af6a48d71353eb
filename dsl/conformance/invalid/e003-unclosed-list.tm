actor customer
data card { classification: secret }
customer -> customer "Self" { data: [card,
