# TM902 fires on each line marked `expect`
process api "API"
process worker "Worker"
# expect-below: TM902
api -> worker "Job"  # tmdiag: ignore[TM206] reason: stale
