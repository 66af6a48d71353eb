# CRLF line endings, tabs and a BOM
boundary b "B" {
  trust: high

  process web "Web" { port: 443 }  # tabbed
}
