import "c07.tm"
actor a06 "A6"
