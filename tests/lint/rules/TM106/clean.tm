# TM106 stays quiet here
model "Shop" { scope: "Web shop", owner: alice }
team {
  alice "Alice Ng" security_lead
}
