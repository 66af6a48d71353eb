# TM301 stays quiet here
data card "Card number" { classification: secret }
data email "Email" { classification: restricted, pii: true, encrypted_at_rest: true }
data order "Order" { classification: restricted }
process api "API"
datastore db "Orders DB" { stores: [card, order], encrypted_at_rest: true }
datastore crm "CRM DB" { stores: [order] }
api -> crm "Save contact" { data: [email] }
