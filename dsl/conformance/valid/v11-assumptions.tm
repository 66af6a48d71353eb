# Assumptions: free text, optionally about elements and ruling threats out.
boundary prod "Prod" { trust: high  process web "Web"  datastore db "DB" }

assume "The AWS control plane itself is not compromised"
assume "Card data is tokenised before it reaches the database" { on: [db], excludes: [DS06] }
assume "Only the web app reaches the database" { on: db }
