import "lib/nothing-here.tm"
import "std/asw.tm"
import "lib"
actor customer
