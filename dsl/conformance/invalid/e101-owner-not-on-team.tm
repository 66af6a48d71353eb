team { alice "Alice" security_lead }
process web "Web" { owner: bob }
model "M" { owner: alic }
