import "c10.tm"
actor a09 "A9"
