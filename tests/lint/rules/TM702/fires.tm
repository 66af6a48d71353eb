# TM702: the security groups let in more than `ingress` says
server web "Web" {
  ingress: ["0.0.0.0/0:443"]  # expect: TM702
  public: true
  iac: ["aws_instance.web"]
}
datastore db "DB" {
  ingress: ["10.0.0.0/16:5432"]  # expect: TM702
  iac: ["aws_db_instance.db"]
}
