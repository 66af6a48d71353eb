import "c13.tm"
actor a12 "A12"
