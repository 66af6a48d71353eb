# TM405 fires on each line marked `expect`
boundary prod "AWS account prod" {
  trust: high
  cloud: aws
  audit_log: true
  mfa: optional  # expect: TM405
}
boundary sandbox "GCP project sandbox" { kind: project, audit_log: true }  # expect: TM405
