# TM301 fires on each line marked `expect`
data card "Card number" { classification: secret }
data email "Email" { classification: restricted, pii: true }
process api "API"
datastore db "Orders DB" { stores: [card] }  # expect: TM301
datastore crm "CRM DB"  # expect: TM301
api -> crm "Save contact" { data: [email] }
