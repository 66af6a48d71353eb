# TM401 fires on each line marked `expect`
process bastion "Bastion" {
  ingress: [
    "0.0.0.0/0:22",  # expect: TM401
    "10.0.0.0/8:3389",
    "::/0:5000-6000",  # expect: TM401
  ]
}
datastore cache "Cache" { ingress: ["0.0.0.0/0:*"] }  # expect: TM401
