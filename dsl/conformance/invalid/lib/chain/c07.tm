import "c08.tm"
actor a07 "A7"
