import "c30.tm"
actor a29 "A29"
