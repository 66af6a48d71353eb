import "c24.tm"
actor a23 "A23"
