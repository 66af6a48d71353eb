import "c22.tm"
actor a21 "A21"
