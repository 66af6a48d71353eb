actor a34 "A34"
