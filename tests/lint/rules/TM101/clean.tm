# TM101 stays quiet here
model "Shop" { scope: "Web shop" }
team {
  alice "Alice Ng" security_lead
  bob "Bob Li" developer
}
