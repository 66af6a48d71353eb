team { alice "Alice" security_lead }
process web "Web"
risk DS06 on web { status: accepted, until: 2027-01-01, justification: "Low value" }
risk INP03 on web { status: avoided }
