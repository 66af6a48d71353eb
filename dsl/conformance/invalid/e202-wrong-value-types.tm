data card "Card" { pii: "yes", classification: secret }
boundary prod "Prod" {
  audit_log: yes
  process web "Web" {
    port: 70000
    description: Unquoted
    ingress: ["0.0.0.0/0", "10.0.0.300/24:22", "10.0.0.0/8:http", 443]
    icon: ec2
    tags: "one"
  }
}
model "M" { reviewed: 2026-02-30, review_every: "90 days", version: 2 }
web -> web "Loop" { protocol: [https, http], src_port: true }
