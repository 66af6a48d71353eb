data card "Card" { classification: secret }
boundary prod "Prod" { process web "Web" }
team { alice "Alice" security_lead }
web -> prod "To a boundary"
card -> web "From a data asset"
web -> alice "To a person on the team"
