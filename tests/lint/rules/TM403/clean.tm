# TM403 stays quiet here
boundary prod "AWS account prod" {
  trust: high
  cloud: aws
  audit_log: true
  mfa: required
  boundary vpc "VPC" { kind: vpc, cloud: aws, process api "API" }
}
boundary office "Office" { kind: network }
