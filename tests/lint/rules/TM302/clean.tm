# TM302 stays quiet here
data key "Deploy key" { classification: secret, credentials: true, lifetime: short }
data order "Order" { classification: restricted }
