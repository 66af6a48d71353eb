# TM305 stays quiet here
import "lib.tm"
data order "Order" { classification: restricted, pii: true }
