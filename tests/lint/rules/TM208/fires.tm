# TM208 fires on each line marked `expect`
process api "API"
process worker "Worker"
process legacy "Legacy batch"  # expect: TM208
api -> worker "Job"
