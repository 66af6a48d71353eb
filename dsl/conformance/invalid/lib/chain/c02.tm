import "c03.tm"
actor a02 "A2"
