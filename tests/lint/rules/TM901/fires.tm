# TM901 fires on each line marked `expect`
process api "API"
# expect-below: TM901
api -> api "Retry"  # tmdiag: ignore[TM206]
