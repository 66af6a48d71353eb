boundary prod "Prod" { cloud: aws, mfa: optional, iac: ["aws_iam_policy.admins"] }
boundary stage "Stage" { cloud: aws, mfa: required }
