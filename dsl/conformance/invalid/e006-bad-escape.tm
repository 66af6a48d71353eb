actor customer "C:\Users\customer"
