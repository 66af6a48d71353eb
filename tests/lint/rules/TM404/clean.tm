# TM404 stays quiet here
boundary prod "Production" {
  trust: high
  mfa: required
  process console "Admin console" { admin: true }
  process api "API"
}
actor ops "Operator" { admin: true, uses_mfa: true }
process ci "CI runner"
ops -> api "Deploy" { encrypted: true }
ci -> console "Rollout" { admin: true, uses_mfa: true }
