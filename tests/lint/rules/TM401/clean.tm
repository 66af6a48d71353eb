# TM401 stays quiet here
process bastion "Bastion" { ingress: ["10.0.0.0/16:22", "0.0.0.0/0:443", "192.0.2.0/24:5432"] }
