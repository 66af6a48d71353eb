import "c29.tm"
actor a28 "A28"
