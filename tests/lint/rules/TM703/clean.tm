boundary dmz "DMZ" {
  public: true
  server web "Web" { iac: ["aws_instance.web"] }
}
datastore db "DB" { public: true, iac: ["aws_db_instance.db"] }
lambda hook "Hook" { public: true, iac: ["aws_lambda_function.hook"] }
datastore assets "Assets" { kind: s3, public: true, iac: ["aws_s3_bucket.assets"] }
