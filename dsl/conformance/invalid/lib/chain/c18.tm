import "c19.tm"
actor a18 "A18"
