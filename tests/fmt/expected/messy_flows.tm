boundary dc "DC" {
  process a  "A"
  process bb "BB"
  datastore db "DB"
}

a -> bb "Call" { protocol: https } reply "Answer"
named-flow: bb -> db "Write" {
  protocol: postgres, port: 5432, encrypted: true, authenticated: true, data: [x, y], tls: 1.3
  note: "a block too wide for one line"
}
bb -> db "Read"
  reply "Rows" { data: [x] }
  reply "More rows"
db -> a
a -> db "Multi" {
  protocol: https
} reply "R" {
  data: [x]
}
