import "c27.tm"
actor a26 "A26"
