import "c15.tm"
actor a14 "A14"
