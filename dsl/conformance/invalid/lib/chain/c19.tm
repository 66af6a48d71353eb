import "c20.tm"
actor a19 "A19"
