import "cycle-b.tm"
data a_data { classification: public }
