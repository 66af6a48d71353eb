import "c32.tm"
actor a31 "A31"
