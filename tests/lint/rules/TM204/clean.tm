# TM204 stays quiet here
process api "API" { min_tls: 1.2 }
process worker "Worker"
api -> worker "Job" { protocol: https, tls: 1.3 }
worker -> api "Result" { encrypted: true }
