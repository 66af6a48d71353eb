# TM704: encryption at rest claimed, off in the infrastructure
datastore orders "Orders" {
  kind: sql
  encrypted_at_rest: true  # expect: TM704
  iac: ["aws_db_instance.orders"]
}
datastore jobs "Jobs" { kind: queue, encrypted_at_rest: true, iac: ["aws_sqs_queue.jobs"] }  # expect: TM704
