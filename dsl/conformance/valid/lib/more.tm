# Imported by lib/shared.tm.
data more_data "More data" { classification: public }
