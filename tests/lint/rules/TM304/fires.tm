# TM304 fires on each line marked `expect`
data order "Order" { classification: restricted }
data invoice "Invoice" { classification: restricted }  # expect: TM304
process api "API"
datastore db "DB" { stores: [order] }
api -> db "Save" { data: [order] }
