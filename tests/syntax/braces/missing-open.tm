actor user "User"
boundary aws "AWS" {
  trust: high
  process alb "ALB" { public: true }
  boundary priv "Private" {
    trust: high
    kind: vpc
    process app "App"
    datastore rds "DB"
      kind: sql
      encrypted_at_rest: true
    }
  }
}
user -> alb "Log in" { protocol: https }
alb -> app "Forward" { protocol: https }
