server web "Web" {
  ingress: ["0.0.0.0/0:443", "10.0.0.0/8:22"]
  public: true
  iac: ["aws_instance.web"]
}
datastore db "DB" { ingress: ["10.0.0.0/8:*"], iac: ["aws_db_instance.db"] }
