# TM701: links to resources the Terraform does not have
process web "Web" {
  public: true
  iac: [
    "aws_lb.wbe",  # expect: TM701
    "aws_lb.web",
  ]
}
server app "App" { iac: ["aws_instance.app[2]"] }  # expect: TM701
server old "Old app" { iac: ["module.legacy.aws_instance.app"] }  # expect: TM701
