import "c17.tm"
actor a16 "A16"
