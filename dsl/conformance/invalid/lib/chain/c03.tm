import "c04.tm"
actor a03 "A3"
