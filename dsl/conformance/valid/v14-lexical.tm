# Lexical structure: comments, strings with escapes, commas, numbers, dates, durations, names.
model "Lexical \"tour\"" {   # a comment after code
  description: "Tab:\tnewline:\nbackslash:\\ quote:\" done"
  version: "1.0"
  reviewed: 2026-02-28
  review_every: 36h
}
# Durations: 36h 90d 12w 1y. Commas between attributes are optional; trailing commas are fine.
data d1 { classification: public, format: "CSV", }
data d2 { classification: public format: "CSV" }
data Mixed_Case_9 { classification: public }
data _private { classification: public }
boundary b { trust: high
  process p-1 { port: 0, tags: [], source_files: ["a.py", "b.py",] }
  process p_2 { port: 65535 }
  lambda l { min_tls: 1.3 }
}
p-1 -> p_2 "Hop" { port: 8080, src_port: 1024, data: [d1, d2], tls: 1.0 }
control c { on: [p-1], }
assume "A 4-digit year: 1999" { on: [p_2] }
team { x "X" security_lead }
risk INP02 on p-1 { status: accepted, owner: x, until: 2030-12-31, justification: "Yearly: review_every 1y" }
model_note: p_2 -> l "Named flow whose name contains a keyword" # `model_note` is an identifier
