import "cycle-a.tm"
data b_data { classification: public }
