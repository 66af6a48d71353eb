# TM104 stays quiet here
model "Shop" {
  scope: "Web shop"
  reviewed: 2026-10-01
  review_every: 90d
}
