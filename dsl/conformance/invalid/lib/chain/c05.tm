import "c06.tm"
actor a05 "A5"
