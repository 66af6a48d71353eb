# TM706: audit logging claimed, trail off (or none among the links)
boundary prod "Prod" {
  cloud: aws
  audit_log: true  # expect: TM706
  iac: ["aws_cloudtrail.main"]
}
boundary stage "Stage" {
  cloud: aws
  audit_log: true  # expect: TM706
  iac: ["aws_kms_key.logs"]
}
