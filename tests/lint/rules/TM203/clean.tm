# TM203 stays quiet here
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
api -> worker "Job" { protocol: https, tls: 1.2, data: [job, token] }
worker -> db "Save" { data: [job] }
