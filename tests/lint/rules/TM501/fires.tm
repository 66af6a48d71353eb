# TM501 fires on each line marked `expect`
process web "Web app"
risk INP02 on web { status: open, severity: high }  # expect: TM501
risk INP03 on web { status: open }  # expect: TM501
rule CUST1 "Custom" { severity: very_high, targets: [process], when: true }
risk CUST1 on web { status: open }  # expect: TM501
risk HA03 on web { status: open, severity: critical }  # expect: TM501
