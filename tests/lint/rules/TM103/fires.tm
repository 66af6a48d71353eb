# TM103 fires on each line marked `expect`
model "Shop" {  # expect: TM103
  description: "Web shop"
  scope: ""
}
