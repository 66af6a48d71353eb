# TM203 fires on each line marked `expect`
data token "API token" { classification: secret, credentials: true, lifetime: short }
data job "Job" { classification: restricted }
boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
}
boundary prod "Production" {
  trust: high
  process api "API"
  process worker "Worker"
  datastore db "Orders DB" { encrypted_at_rest: true }
}
api -> worker "Job" { protocol: http, data: [job, token] }  # expect: TM203
worker -> db "Save" { data: [job] }
