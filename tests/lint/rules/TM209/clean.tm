# TM209 stays quiet here
actor customer "Customer"
process api "API"
customer -> api "Order"
