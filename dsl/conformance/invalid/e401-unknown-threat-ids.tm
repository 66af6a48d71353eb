team { alice "Alice" security_lead }
process web "Web"
control waf "WAF" { on: [web], mitigates: [INP2, XYZ99] }
risk INPO2 on web { status: mitigated, owner: alice, by: waf }
assume "Out of scope" { on: [web], excludes: [NOPE1] }
