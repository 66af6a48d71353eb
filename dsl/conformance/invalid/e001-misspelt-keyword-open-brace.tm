# make fuzz: a misspelt keyword with a brace opened on its line (E003 pointed past the line)
actor customer "Customer"
proces web{
