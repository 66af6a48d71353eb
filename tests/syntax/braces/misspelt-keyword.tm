actor user "User"
boundry priv "P" {
  trust: high
  process app "App"
  datastor rds "DB"
}
user -> app "Use" { protocol: https }
