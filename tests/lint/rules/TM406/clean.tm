# TM406 stays quiet here
process api "API" { ingress: ["0.0.0.0/0:443", "0.0.0.0/0:80", "10.0.0.0/8:8080"] }
process ssh "Bastion" { ingress: ["192.0.2.10/32:22"] }
