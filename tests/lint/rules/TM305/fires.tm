# TM305 fires on each line marked `expect`
data order "Order" { pii: true }  # expect: TM305
data note "Note"  # expect: TM305
