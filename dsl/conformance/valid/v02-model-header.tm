# Every attribute of the model header.
model "Payments platform" {
  description: "Card payments for the web shop"
  scope: "From the browser to the card vault; the bank is out of scope"
  version: "3.0.1"
  owner: alice
  reviewed: 2026-10-01
  review_every: 12w
  rules: extend
  cloud: aws
}

team { alice "Alice Ng" security_lead }
