# TM707: MFA claimed, no policy enforces it
boundary prod "Prod" {
  cloud: aws
  mfa: required  # expect: TM707
  iac: ["aws_iam_policy.admins"]
}
