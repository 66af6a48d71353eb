import "c33.tm"
actor a32 "A32"
