# TM207 stays quiet here
process api "API"
process worker "Worker"
api -> worker "Job"
api -> worker "Cancel job"
worker -> api "Job"
