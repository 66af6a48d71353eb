data card "Card" { classification: secret, pii: true, classification: public }
rule ORG001 "Twice" {
  severity: high
  targets: [flow]
  when: not encrypted
  when: crosses boundary
}
