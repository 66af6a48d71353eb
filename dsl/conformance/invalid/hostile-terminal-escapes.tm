[31mred[0m
actor a "]0;title"
