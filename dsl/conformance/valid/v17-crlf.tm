# Windows line endings (CRLF) are whitespace like any other.
boundary b "B" {
  trust: high
  process web "Web" { port: 443 }
}
