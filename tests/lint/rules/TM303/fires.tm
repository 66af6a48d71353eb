# TM303 fires on each line marked `expect`
data key "DB password" {
  classification: secret
  credentials: true
  lifetime: hardcoded  # expect: TM303
}
