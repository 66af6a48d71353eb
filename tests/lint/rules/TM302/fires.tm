# TM302 fires on each line marked `expect`
data key "Deploy key" {  # expect: TM302
  classification: secret
  credentials: true
}
data pass "Password" {
  credentials: true
  lifetime: unknown  # expect: TM302
}
