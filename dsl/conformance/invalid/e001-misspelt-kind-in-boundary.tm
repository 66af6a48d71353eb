# A misspelt element kind inside a boundary, and a kind that does not exist.
boundary prod "Prod" {
  trust: high
  lamda scorer "Fraud scorer"
}
boundary data_tier "Data" {
  bucket logs "Log bucket"
}
