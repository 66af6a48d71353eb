import "c26.tm"
actor a25 "A25"
