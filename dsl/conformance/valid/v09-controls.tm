# Controls: what they protect (elements and named flows), which threats they mitigate, who runs them.
team { alice "Alice" security_lead  bob "Bob" sre }

boundary internet "Internet" { trust: untrusted  actor customer }
boundary prod "Prod" {
  trust: high
  process web "Web"
  datastore db "DB"
}

login: customer -> web "Log in" { protocol: https, encrypted: true }
web -> db "Query" { protocol: postgres }

control waf "AWS WAF" { on: [web], mitigates: [INP02, INP03], owner: bob, automated: true }
control tls_everywhere "TLS 1.2+ everywhere" {
  description: "Load balancers refuse anything below TLS 1.2"
  on: [login, web]
  mitigates: [CR06]
  owner: alice
}
control review "Quarterly access review" { on: db }
