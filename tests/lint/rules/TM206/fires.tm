# TM206 fires on each line marked `expect`
process api "API"
api -> api "Retry"  # expect: TM206
