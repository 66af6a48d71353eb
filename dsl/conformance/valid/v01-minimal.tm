# The smallest useful model: one element.
actor customer
