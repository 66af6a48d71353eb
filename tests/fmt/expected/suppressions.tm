# Suppressions the formatter must keep applying to the same statements (editors new-user report).
model "Photo share" { owner: ana, scope: "Browser to the app" }

team { ana "Ana Silva" security_lead ben "Ben" developer }  # tmdiag: ignore[TM102] reason: a two-person team, operations is outsourced

data creds "User password" { classification: secret }

boundary internet "Internet" {
  trust: untrusted
  actor user "User"
}
boundary prod "Production" {
  trust: high
  process alb "ALB" { public: true, validates_input: true }
  process app "App" {
    validates_input: true  # tmdiag: ignore[TM404] reason: SSO enforces MFA
    description: "A description long enough to make this line wrap past the width of one hundred and twenty"
    admin: true
  }
  process legacy "A legacy batch process that nobody has touched for years, with a label that is long enough to open" {  # tmdiag: ignore[TM208] reason: decommissioned next quarter
    validates_input: true
  }
}

login: user -> alb "Log in to the photo sharing service" {  # tmdiag: ignore[TM201] reason: login is how the user authenticates
  protocol: https, port: 443, tls: 1.3, data: [creds], encrypted: true
}
user -> app "Call the application service directly, with a long label" { protocol: http, authenticated: true } reply "Answer with the page" {  # tmdiag: ignore[TM202] reason: a lab setup, never exposed
  data: [creds]
}
