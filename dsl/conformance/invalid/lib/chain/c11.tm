import "c12.tm"
actor a11 "A11"
