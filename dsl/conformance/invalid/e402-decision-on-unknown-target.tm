team { alice "Alice" security_lead }
boundary prod "Prod" { process web "Web" }
risk INP02 on wbe { status: open }
risk INP03 on prod { status: open }
risk INP04 on alice { status: open }
