import "c31.tm"
actor a30 "A30"
