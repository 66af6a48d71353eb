import "c28.tm"
actor a27 "A27"
