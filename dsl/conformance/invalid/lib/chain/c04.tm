import "c05.tm"
actor a04 "A4"
