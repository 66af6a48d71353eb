import "c09.tm"
actor a08 "A8"
