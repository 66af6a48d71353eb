# TM102 fires on each line marked `expect`
model "Shop" { scope: "Web shop" }
team {
  alice "Alice Ng" security_lead  # expect: TM102
  bob "Bob Li" developer
}
