# TM501 fires on each line marked `expect`
process web "Web app"
risk INP02 on web { status: open, severity: high }  # expect: TM501
risk INP03 on web { status: open }  # expect: TM501
