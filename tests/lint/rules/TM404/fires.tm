# TM404 fires on each line marked `expect`
boundary prod "Production" {
  trust: high
  mfa: optional
  process console "Admin console" {
    admin: true  # expect: TM404
  }
  process api "API"
}
actor ops "Operator" { admin: true }
ops -> api "Deploy" { encrypted: true }  # expect: TM404
