# TM406 fires on each line marked `expect`
process api "API" {
  ingress: ["0.0.0.0/0:443", "0.0.0.0/0:8080"]  # expect: TM406
}
process web "Web" { ingress: ["::/0:80-90"] }  # expect: TM406
