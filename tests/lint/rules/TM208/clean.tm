# TM208 stays quiet here
import "lib.tm"
process api "API"
process worker "Worker"
process offline "Offline tool" { in_scope: false }
api -> worker "Job"
