process web "Web" { min_tls: 1.2, iac: ["aws_lb.web"] }
process legacy "Legacy" { min_tls: 1.0, iac: ["aws_lb.legacy"] }
process plain "Plain" { iac: ["aws_lb.plain"] }
