data creds "Credentials" { classification: secret }
actor user "User"
boundary aws "AWS" {
  trust: high
  process alb "ALB" {
    public: true

  boundary priv "Private" {
    trust: high
    process app "App"
    datastore rds "DB" { kind: sql }
  }
}
user -> alb "Log in" { protocol: https, data: [creds] }
alb -> app "Forward" { protocol: https }
app -> rds "Query" { protocol: tls }
