import "c23.tm"
actor a22 "A22"
