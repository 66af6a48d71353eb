# Resources a model leaves out on purpose (modeled in ops.tm): drift does not report them as unmodeled
model "Edge" {
  scope: "the public edge; the bastion is modeled in ops.tm"
  iac_out_of_scope: ["aws_instance.bastion", "module.ops.aws_security_group.bastion"]
}
process web "Load balancer" { public: true, iac: "aws_lb.web" }
