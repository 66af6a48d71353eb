# TM902 stays quiet here
process api "API"
# tmdiag: ignore[TM206] reason: models the retry loop on purpose
api -> api "Retry"
