# A missing `}` costs one statement: the next keyword in column 1 starts the next one.
boundary prod "Prod" {
  trust: high
  process web "Web" {
    port: 443

datastore db "DB" { kind: sql }
