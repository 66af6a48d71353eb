import "c18.tm"
actor a17 "A17"
