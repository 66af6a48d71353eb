# A module and a data source are not deployed resources: link the resources themselves
model "m" { scope: "links", iac_out_of_scope: ["module.legacy"] }
process web "Web" { iac: ["module.net", "data.aws_ami.ubuntu", "module.net.data.aws_vpc.shared"] }
