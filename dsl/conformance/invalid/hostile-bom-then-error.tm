actor customer "Customer"
proces web
