boundary prod "Prod" { cloud: aws, audit_log: false, iac: ["aws_cloudtrail.main"] }
boundary stage "Stage" { cloud: aws, audit_log: true }
