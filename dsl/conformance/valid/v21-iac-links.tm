# Links from elements and boundaries to Terraform resources (`tmdiag drift` checks them)
boundary prod "AWS account prod" {
  kind: account
  cloud: aws
  iac: ["aws_cloudtrail.main"]
  boundary vpc "VPC" {
    kind: vpc
    iac: ["module.net.aws_vpc.main"]
    process web "Web" { iac: ["aws_lb.web", "aws_instance.web[0]", "aws_instance.app[\"blue\"]"] }
    datastore db "Orders DB" { kind: sql, iac: "aws_db_instance.orders" }
  }
}
