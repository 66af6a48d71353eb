# TM207 fires on each line marked `expect`
process api "API"
process worker "Worker"
api -> worker "Job"
api -> worker "job"  # expect: TM207
