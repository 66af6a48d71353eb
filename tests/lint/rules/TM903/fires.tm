# TM903 fires on each line marked `expect`
process api "API"
# expect-below: TM903
api -> api "Retry"  # tmdiag: ignore reason: noisy
# expect-below: TM903
# tmdiag: ignore[TM999] reason: no such rule
process worker "Worker"
