actor customer "Customer
process web "Web"
