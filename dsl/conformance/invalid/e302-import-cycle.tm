import "lib/cycle-a.tm"
actor customer
