import "c11.tm"
actor a10 "A10"
