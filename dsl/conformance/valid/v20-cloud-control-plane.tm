# Cloud control-plane facts the linter checks: ingress, public exposure, audit logs, MFA, encryption.
boundary internet "Internet" { trust: untrusted  actor customer }
boundary acct "AWS account" {
  trust: high
  cloud: aws
  audit_log: true
  mfa: required
  process web "Web" {
    icon: aws.ec2
    public: true
    ingress: ["0.0.0.0/0:443", "::/0:443", "10.0.0.0/16:8000-8100", "10.0.0.0/8:*"]
    admin: false
  }
  datastore bucket "Assets bucket" { kind: s3, public: false, encrypted_at_rest: true, versioning: true, icon: aws.s3 }
  server bastion "Bastion" { admin: true, ingress: ["203.0.113.0/24:22"], uses_mfa: true }
  datastore secrets "Secrets" { kind: secrets, encrypted_at_rest: true, encryption_algorithm: "AES-256-GCM" }
}
customer -> web "Browse" { protocol: https, port: 443, tls: 1.3, encrypted: true }
web -> bucket "Read assets" { protocol: https, encrypted: true, authenticated: true }
web -> secrets "Read DB password" { protocol: https, encrypted: true, authenticated: true }
