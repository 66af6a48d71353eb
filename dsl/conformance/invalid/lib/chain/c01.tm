import "c02.tm"
actor a01 "A1"
