# Dates at the end of the calendar: the next review falls beyond 9999-12-31 (never due), no overflow.
model "Edges" { reviewed: 9999-12-01, review_every: 100y }
actor a "A"
process b "B"
a -> b "Biggest port number we accept" { port: 65535, protocol: https }
