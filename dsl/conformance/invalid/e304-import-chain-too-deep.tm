# A chain of files each importing the next: at most 32 deep (E304), not a RecursionError.
import "lib/chain/c01.tm"
actor entry "Entry"
