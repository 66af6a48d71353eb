import "c25.tm"
actor a24 "A24"
