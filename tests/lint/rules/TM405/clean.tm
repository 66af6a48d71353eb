# TM405 stays quiet here
boundary prod "AWS account prod" {
  trust: high
  cloud: aws
  audit_log: true
  mfa: required
  boundary vpc "VPC" { cloud: aws, mfa: optional }
}
