# std/aws.tm: shared definitions for systems on AWS.
# Import with `import "std/aws.tm"`. Declares data, threat agents and custom threat rules only:
# nothing here is drawn or reported unless your model uses it.

data aws_access_key "AWS access key" {
  description: "Long-lived IAM user access key"
  classification: secret
  credentials: true
  lifetime: long
}

data aws_session "AWS STS session credentials" {
  description: "Temporary credentials from STS or an instance role"
  classification: secret
  credentials: true
  lifetime: short
}

threat_agent cloud_attacker "Cloud credential thief" {
  description: "Scans for leaked keys and open buckets; automates account takeover"
  skill: medium
  motive: financial
}

rule AWS001 "Public datastore holds non-public data" {
  description: "A datastore reachable from the internet holds data classified above public."
  severity: very_high
  likelihood: high
  targets: [datastore]
  when: public and data.classification > public
  mitigations: "Block public access at the account level; serve objects through signed URLs."
  references: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
}

rule AWS002 "Long-lived access key in use" {
  description: "A flow carries a long-lived IAM access key instead of short-lived role credentials."
  severity: high
  likelihood: medium
  targets: [flow]
  when: data.lifetime == long and data.credentials
  mitigations: "Use IAM roles and STS; rotate and remove access keys."
  references: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
}

rule AWS003 "Administrative access without MFA" {
  description: "An element offers administrative access (console, SSH, control plane) in a boundary that does not require MFA."
  severity: high
  likelihood: medium
  targets: [process, server, lambda, datastore, llm, agent]
  when: admin and not (boundary.mfa == required)
  mitigations: "Require MFA for human access (IAM policy condition aws:MultiFactorAuthPresent, IAM Identity Center)."
  references: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html"
}

rule AWS004 "Administrative port open to the internet" {
  description: "An ingress rule opens SSH or RDP to 0.0.0.0/0."
  severity: high
  likelihood: high
  targets: [process, server, lambda, datastore, llm, agent]
  when: ingress in ["0.0.0.0/0:22", "0.0.0.0/0:3389", "::/0:22", "::/0:3389"]
  mitigations: "Close the port; use SSM Session Manager or a bastion reachable only through a VPN."
  references: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html"
}

rule AWS005 "Sensitive datastore without backup or versioning" {
  description: "A datastore holds sensitive or secret data and keeps neither backups nor versions: ransomware or a bad deploy destroys it."
  severity: medium
  likelihood: low
  targets: [datastore]
  when: data.classification >= sensitive and not backup and not versioning
  mitigations: "Turn on AWS Backup, RDS automated backups, or S3 versioning with object lock."
  references: "https://docs.aws.amazon.com/aws-backup/latest/devguide/whatisbackup.html"
}
