# TM705: a listener accepts less than min_tls
process web "Web" { min_tls: 1.3, iac: ["aws_lb.web"] }  # expect: TM705
process legacy "Legacy" { min_tls: 1.2, iac: ["aws_lb.legacy"] }  # expect: TM705
process plain "Plain" { min_tls: 1.2, iac: ["aws_lb.plain"] }  # expect: TM705
