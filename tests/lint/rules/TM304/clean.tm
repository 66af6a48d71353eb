# TM304 stays quiet here
import "std/aws.tm"
data order "Order" { classification: restricted }
data invoice "Invoice" { classification: restricted }
process api "API"
datastore db "DB" { stores: [invoice] }
api -> db "Save" { data: [order] }
