resource "aws_db_instance" "orders" {
  storage_encrypted = false
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  at_rest_encryption_enabled = true
}

resource "aws_sqs_queue" "jobs" {
  sqs_managed_sse_enabled = false
}
