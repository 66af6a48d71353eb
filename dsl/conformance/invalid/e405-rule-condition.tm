rule ORG001 "Bad condition" {
  severity: high
  targets: [flow]
  when: encrypted == "yes" and portt > 80
}
