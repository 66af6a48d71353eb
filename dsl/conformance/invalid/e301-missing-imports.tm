import "lib/nothing-here.tm"
import "std/gcp.tm"
import "lib"
actor customer
