# TM104 fires on each line marked `expect`
model "Shop" {
  scope: "Web shop"
  reviewed: 2026-01-15  # expect: TM104
  review_every: 90d
}
