# TM204 fires on each line marked `expect`
process api "API" {
  min_tls: 1.1  # expect: TM204
}
process worker "Worker"
api -> worker "Job" { protocol: https, tls: 1.0 }  # expect: TM204
worker -> api "Result" { tls: ssl3 }  # expect: TM204
