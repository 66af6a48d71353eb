actor user "User"
boundary aws "AWS" {
  trust: high
  process app "App"
  datastore rds "DB" { kind: sql }
  app -> rds "inner" { protocol: tls }
}
user -> app "Use" { protocol: https }
