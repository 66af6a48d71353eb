# A UTF-8 byte order mark at the start is ignored.
actor customer "Customer"
