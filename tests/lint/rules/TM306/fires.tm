# TM306 fires on each line marked `expect`
data card "Card number" { classification: secret }
data order "Order" { classification: restricted }
process api "API"
external crm "CRM" { max_classification: restricted }
api -> crm "Sync" { data: [order, card] }  # expect: TM306
