# `authenticated` is another name for `authenticates_source` on a flow: one attribute, given once.
process api "API"
datastore db "DB"
api -> db "Query" { authenticated: true, authenticates_source: false }
db -> api "Rows" {
  authenticates_source: true
  encrypted: true
  authenticated: true
}
