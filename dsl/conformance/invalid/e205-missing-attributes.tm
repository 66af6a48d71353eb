process web "Web"
control waf "WAF" { mitigates: [INP02] }
rule ORG001 "No condition" { description: "Forgot the rest" }
