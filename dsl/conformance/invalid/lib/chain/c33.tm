import "c34.tm"
actor a33 "A33"
