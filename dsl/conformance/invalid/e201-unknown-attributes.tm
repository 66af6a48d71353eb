model "M" { scop: "typo" }
data card "Card" { clasification: secret }
boundary prod "Prod" {
  trust_level: high
  process web "Web" { sanitise_input: true, stores: [card] }
}
web -> web "Loop" { encrypt: true }
risk INP02 on web { status: open, note: "x" }
