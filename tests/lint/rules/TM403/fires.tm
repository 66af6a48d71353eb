# TM403 fires on each line marked `expect`
boundary prod "AWS account prod" {  # expect: TM403
  trust: high
  cloud: aws
  mfa: required
  boundary vpc "VPC" { kind: vpc, process api "API" }
}
boundary dev "AWS account dev" {
  kind: account
  audit_log: false  # expect: TM403
}
