# TM709: claims whose facts are known only after apply
datastore orders "Orders" {
  kind: sql
  encrypted_at_rest: true  # expect: TM709
  iac: ["aws_db_instance.orders"]
}
server bastion "Bastion" { ingress: ["203.0.113.0/24:22"], iac: ["aws_instance.bastion"] }  # expect: TM709
server worker "Worker" { iac: ["aws_instance.worker"] }  # expect: TM709
