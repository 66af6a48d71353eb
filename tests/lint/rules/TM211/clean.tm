# TM211 stays quiet: each flow says one thing about encryption in transit
boundary prod "Production" {
  trust: high
  process api "API"
  process worker "Worker"
  datastore db "Orders DB" { encrypted_at_rest: true }
}
api -> worker "Job" { protocol: https, tls: 1.2, encrypted: true }
worker -> db "Save" { protocol: postgres, tls: 1.3 }
worker -> api "Status" { protocol: http, tls: none, encrypted: false }
