boundary prod "AWS account prod" {
  iac: [aws_cloudtrail.main]
  process web "Web" { iac: ["aws_lb", "aws_lb.web[x]", "module.net.aws_vpc.main"] }
  datastore db "DB" { iac: [42] }
}
