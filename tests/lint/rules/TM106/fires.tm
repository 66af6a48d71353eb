# TM106 fires on each line marked `expect`
model "Shop" { scope: "Web shop" }  # expect: TM106
team {
  alice "Alice Ng" security_lead
}
