# TM903 stays quiet here
process api "API"
api -> api "Retry"  # tmdiag: ignore[TM206] reason: models the retry loop on purpose
