# TM211 fires on each flow that says `encrypted: false` and names a TLS version
boundary prod "Production" {
  trust: high
  process api "API"
  process worker "Worker"
  datastore db "Orders DB" { encrypted_at_rest: true }
}
api -> worker "Job" {
  protocol: https
  tls: 1.2
  encrypted: false  # expect: TM211
}
worker -> db "Save" { protocol: postgres, tls: "TLSv1.3", encrypted: false }  # expect: TM211
