import "c14.tm"
actor a13 "A13"
