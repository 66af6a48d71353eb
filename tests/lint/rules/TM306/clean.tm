# TM306 stays quiet here
data card "Card number" { classification: secret }
data order "Order" { classification: restricted }
process api "API"
external crm "CRM" { max_classification: restricted }
process vault "Vault"
api -> crm "Sync" { data: [order] }
api -> vault "Store" { data: [card] }
