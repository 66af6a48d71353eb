# TM206 stays quiet here
process api "API"
process worker "Worker"
api -> worker "Job"
  reply "Done"
