import "c21.tm"
actor a20 "A20"
