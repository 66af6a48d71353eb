# Custom threat rules: every form of the condition language (semantics: docs/threats.md).
model "Rules" { rules: extend }

boundary internet "Internet" { trust: untrusted  actor customer }
boundary prod "Prod" {
  trust: high
  process web "Web"
  datastore db "DB"
}
customer -> web "Browse" { protocol: https }

rule ORG001 "Unencrypted flow across a boundary" {
  description: "Data leaves a trust boundary in clear text."
  severity: high
  likelihood: medium
  targets: [flow]
  when: not encrypted and crosses boundary
  mitigations: "Use TLS 1.2 or later."
  references: "CWE-319"
  details: "Anyone on the path can read or alter the data."
}

rule ORG002 "Secret data into the untrusted zone" {
  severity: very_high
  targets: [flow]
  when: data.classification >= secret and (enters internet or exits prod)
}

rule ORG003 "Public datastore" {
  severity: medium
  likelihood: low
  targets: [datastore]
  when: public == true or kind in [s3, object]
}

rule ORG004 "Weak TLS on an exposed process" {
  severity: low
  targets: [process, server, lambda]
  when: min_tls < 1.2 and port != 443 and trust <= low
}

rule ORG005 "Named protocol" {
  severity: medium
  targets: [flow]
  when: protocol == "ftp" or protocol == "telnet"
}
