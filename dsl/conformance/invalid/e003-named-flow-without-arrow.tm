actor a
actor b
checkout: a
