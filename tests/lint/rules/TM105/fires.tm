# TM105 fires on each line marked `expect`
model "Shop" { scope: "Web shop", reviewed: 2026-10-01 }  # expect: TM105
