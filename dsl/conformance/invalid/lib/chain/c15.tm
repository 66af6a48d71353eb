import "c16.tm"
actor a15 "A15"
