# TM703: reachable from the internet, not public in the model
server web "Web" { iac: ["aws_instance.web"] }  # expect: TM703
datastore db "DB" { public: false, iac: ["aws_db_instance.db"] }  # expect: TM703
lambda hook "Hook" { iac: ["aws_lambda_function.hook"] }  # expect: TM703
datastore assets "Assets" { kind: s3, iac: ["aws_s3_bucket.assets"] }  # expect: TM703
