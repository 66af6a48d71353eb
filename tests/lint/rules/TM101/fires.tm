# TM101 fires on each line marked `expect`
model "Shop" { scope: "Web shop" }
team {
  bob "Bob Li" developer  # expect: TM101
  carol "Carol Diaz" sre
}
