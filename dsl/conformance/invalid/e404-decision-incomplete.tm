team { alice "Alice" security_lead }
process web "Web"
risk INP02 on web { status: mitigated, owner: alice }
risk DS06 on web { status: accepted, owner: alice }
risk AC01 on web { status: transferred, owner: alice }
risk CR06 on web { status: false_positive, owner: alice }
