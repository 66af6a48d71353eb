# TM303 stays quiet here
data key "DB password" { classification: secret, credentials: true, lifetime: auto }
